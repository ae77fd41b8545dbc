// /favicon.ico: a 32×32 star in the demo's accent colour, drawn as SVG and rendered once
// by resvg into a PNG wrapped in an ICO container (an ICO may hold a PNG image).
import { Resvg } from '@resvg/resvg-js';

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#1d4ed8"/><path d="M16 5.5l3.1 6.6 7.2.9-5.3 5 1.4 7.1L16 21.6l-6.4 3.5 1.4-7.1-5.3-5 7.2-.9z" fill="#fff"/></svg>`;

/** An ICO file whose one image is `png` (width × height pixels). */
export function icoOf(png: Buffer, width: number, height: number): Buffer {
  const header = Buffer.alloc(22);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(width >= 256 ? 0 : width, 6);
  header.writeUInt8(height >= 256 ? 0 : height, 7);
  header.writeUInt8(0, 8); // no palette
  header.writeUInt8(0, 9);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(png.length, 14);
  header.writeUInt32LE(22, 18); // the image follows the header
  return Buffer.concat([header, png]);
}

let ico: Buffer | undefined;
export function faviconIco(): Buffer {
  ico ??= icoOf(new Resvg(SVG, { font: { loadSystemFonts: false } }).render().asPng(), 32, 32);
  return ico;
}
