/**
 * Disjoint sets over string keys (union by attaching, path compression on find). The one
 * place where emovox joins things that must stay on one side of a split: copies of a
 * performance, byte-identical files, the rows of one speaker.
 */
export class UnionFind {
  private readonly parent = new Map<string, string>();

  /** The representative of `key`'s set (a key never seen is its own set). */
  find(key: string): string {
    if (!this.parent.has(key)) this.parent.set(key, key);
    let root = key;
    while (this.parent.get(root) !== root) root = this.parent.get(root) as string;
    while (this.parent.get(key) !== root) {
      const next = this.parent.get(key) as string;
      this.parent.set(key, root);
      key = next;
    }
    return root;
  }

  /**
   * Joins the sets of `a` and `b`. The smaller representative (in string order) stays the
   * root, so the result does not depend on the order of the unions.
   */
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
}
