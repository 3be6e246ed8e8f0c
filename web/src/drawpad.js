// A drawing pad on Pointer Events (mouse, touch, pen): round strokes, dark on
// light. Keeps the strokes so undo can redraw all but the last one. Calls
// onChange after every stroke segment, on undo and on clear.
export class DrawPad {
  constructor(canvas, { lineWidth = 20, onChange = () => {} } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.lineWidth = lineWidth;
    this.onChange = onChange;
    this.strokes = [];
    this.current = null;
    this.#paper();
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', () => this.#up());
    canvas.addEventListener('pointercancel', () => this.#up());
  }

  get isEmpty() {
    return this.strokes.length === 0;
  }

  clear() {
    if (this.strokes.length) this.cleared = this.strokes; // so Undo can bring the drawing back
    this.strokes = [];
    this.#paper();
    this.onChange();
  }

  undo() {
    if (this.strokes.length) this.strokes.pop();
    else if (this.cleared) {
      this.strokes = this.cleared;
      this.cleared = null;
    }
    this.#paper();
    for (const s of this.strokes)
      for (let i = 0; i < s.length; i++) this.#segment(s[Math.max(0, i - 1)], s[i]);
    this.onChange();
  }

  #paper() {
    this.ctx.fillStyle = '#fff';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  #point(e) {
    const r = this.canvas.getBoundingClientRect();
    return {
      x: (e.clientX - r.left) * (this.canvas.width / r.width),
      y: (e.clientY - r.top) * (this.canvas.height / r.height),
    };
  }

  #down(e) {
    if (e.button > 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    const p = this.#point(e);
    this.cleared = null; // a new drawing: Undo no longer brings the cleared one back
    this.current = [p];
    this.strokes.push(this.current);
    this.#segment(p, p);
    this.onChange();
  }

  #move(e) {
    if (!this.current) return;
    const p = this.#point(e);
    this.#segment(this.current[this.current.length - 1], p);
    this.current.push(p);
    this.onChange();
  }

  #up() {
    this.current = null;
  }

  #segment(a, b) {
    const { ctx } = this;
    if (a.x === b.x && a.y === b.y) {
      // a click is a stroke too: a zero-length line draws nothing, so paint the pen's dot
      ctx.fillStyle = '#111';
      ctx.beginPath();
      ctx.arc(a.x, a.y, this.lineWidth / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.strokeStyle = '#111';
    ctx.lineWidth = this.lineWidth;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }
}
