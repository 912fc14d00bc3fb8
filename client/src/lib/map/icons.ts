// Category symbols: a shape per category as well as a colour, so a category never depends on
// colour alone. One SVG path per shape serves both the map (drawn into a canvas, added with
// map.addImage: no sprite file, no network) and the legend and filter list (inline SVG).

export type Shape = 'circle' | 'square' | 'diamond' | 'triangle-down' | 'pentagon' | 'hexagon' | 'star' | 'plus';
export const SHAPES: readonly Shape[] = ['circle', 'square', 'diamond', 'triangle-down', 'pentagon', 'hexagon', 'star', 'plus'];

const polygon = (points: [number, number][]) => `M${points.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join('L')}Z`;

function regular(n: number, r: number, rotation = -Math.PI / 2): [number, number][] {
  return Array.from({ length: n }, (_, i) => {
    const a = rotation + (i * 2 * Math.PI) / n;
    return [10 + r * Math.cos(a), 10 + r * Math.sin(a)];
  });
}

function star(): [number, number][] {
  return Array.from({ length: 10 }, (_, i) => {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const r = i % 2 === 0 ? 9 : 4.2;
    return [10 + r * Math.cos(a), 10 + r * Math.sin(a)];
  });
}

/** Paths in a 20×20 box. */
export const SHAPE_PATHS: Record<Shape, string> = {
  circle: 'M10,2A8,8 0 1 1 9.99,2Z',
  square: 'M3,3H17V17H3Z',
  diamond: polygon([[10, 1], [19, 10], [10, 19], [1, 10]]),
  'triangle-down': polygon([[2, 3], [18, 3], [10, 18]]),
  pentagon: polygon(regular(5, 8.6)),
  hexagon: polygon(regular(6, 8.4, 0)),
  star: polygon(star()),
  plus: 'M7,2H13V7H18V13H13V18H7V13H2V7H7Z',
};

/** The needs symbol: a warning triangle with an exclamation mark, distinct from every category. */
export const NEED_PATH = polygon([[10, 1.5], [19, 18], [1, 18]]);
export const NEED_MARK_PATH = 'M9,7H11V12.5H9ZM9,14H11V16H9Z';

export const shapeOf = (index: number): Shape => SHAPES[index % SHAPES.length]!;

/** Draws a symbol at 2× for sharp edges on high-density screens (added with pixelRatio 2). */
export function drawSymbol(path: string, fill: string, size: number, mark?: string): ImageData {
  const px = size * 2;
  const canvas = document.createElement('canvas');
  canvas.width = px;
  canvas.height = px;
  const ctx = canvas.getContext('2d')!;
  const inset = 2;
  ctx.translate(inset, inset);
  ctx.scale((px - 2 * inset) / 20, (px - 2 * inset) / 20);
  const shape = new Path2D(path);
  // A white halo, then a dark edge: the symbol stays visible on light and dark fills.
  ctx.lineJoin = 'round';
  ctx.strokeStyle = '#ffffff';
  ctx.lineWidth = 3.2;
  ctx.stroke(shape);
  ctx.fillStyle = fill;
  ctx.fill(shape);
  ctx.strokeStyle = '#1a1a1a';
  ctx.lineWidth = 1;
  ctx.stroke(shape);
  if (mark) {
    ctx.fillStyle = '#ffffff';
    ctx.fill(new Path2D(mark));
  }
  return ctx.getImageData(0, 0, px, px);
}

/** Diagonal hatching for regions without a value. */
export function drawHatch(): ImageData {
  const canvas = document.createElement('canvas');
  canvas.width = 16;
  canvas.height = 16;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#f2f2f2';
  ctx.fillRect(0, 0, 16, 16);
  ctx.strokeStyle = '#8a8a8a';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (const o of [-16, 0, 16]) {
    ctx.moveTo(o, 16);
    ctx.lineTo(o + 16, 0);
  }
  ctx.stroke();
  return ctx.getImageData(0, 0, 16, 16);
}
