/**
 * The request bodies of the upload routes, which the route schemas cannot give: the body
 * is read as a stream (a schema on it would make Fastify parse and validate it first).
 */
export function addRequestBodies(doc: { paths?: Record<string, Record<string, Record<string, unknown>>> }): typeof doc {
  const upload = {
    required: true,
    content: {
      'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary', description: 'an audio or video file' } }, required: ['file'] } },
      'audio/*': { schema: { type: 'string', format: 'binary' } },
      'video/*': { schema: { type: 'string', format: 'binary' } },
      'application/octet-stream': { schema: { type: 'string', format: 'binary', description: 'any container, or raw PCM with ?encoding=&rate=' } },
    },
  };
  for (const path of ['/v1/classify', '/v1/timeline']) {
    const post = doc.paths?.[path]?.post;
    if (post) post.requestBody = upload;
  }
  return doc;
}
