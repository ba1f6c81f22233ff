/* global AudioWorkletProcessor, registerProcessor */
// Collects the microphone's 128-frame render quanta into 100 ms blocks of mono float32
// samples and posts each to the page, which sends it over the WebSocket.
class PcmCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.block = new Float32Array(1600);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) {
      for (let i = 0; i < channel.length; i++) {
        this.block[this.filled++] = channel[i];
        if (this.filled === this.block.length) {
          this.port.postMessage(this.block.buffer, [this.block.buffer]);
          this.block = new Float32Array(1600);
          this.filled = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor('pcm-capture', PcmCapture);
