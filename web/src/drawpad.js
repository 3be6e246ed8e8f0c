// A drawing pad on Pointer Events (mouse, touch, pen): round strokes, dark
// on light. Calls onChange after every stroke segment and on clear.
export class DrawPad {
  constructor(canvas, { lineWidth = 20, onChange = () => {} } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.lineWidth = lineWidth;
    this.onChange = onChange;
    this.last = null;
    this.clear();
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', () => this.#up());
    canvas.addEventListener('pointercancel', () => this.#up());
  }

  clear() {
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.onChange();
  }

  #point(e) {
    const r = this.canvas.getBoundingClientRect();
    return { x: (e.clientX - r.left) * (this.canvas.width / r.width), y: (e.clientY - r.top) * (this.canvas.height / r.height) };
  }

  #down(e) {
    this.canvas.setPointerCapture?.(e.pointerId);
    this.last = this.#point(e);
    this.#segment(this.last, this.last);
  }

  #move(e) {
    if (!this.last) return;
    const p = this.#point(e);
    this.#segment(this.last, p);
    this.last = p;
  }

  #up() { this.last = null; }

  #segment(a, b) {
    const { ctx } = this;
    ctx.strokeStyle = '#111';
    ctx.lineWidth = this.lineWidth;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
    this.onChange();
  }
}
