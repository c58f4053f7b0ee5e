import {describe, expect, it} from 'vitest';
import {readDrawing} from './read-drawing.js';

// The property tests trust this reader to notice a wrong drawing, so it is tested on
// drawings made by hand, right and wrong.

describe('readDrawing', () => {
  it('follows a fan-out, a crossing, a label and a loop', () => {
    const drawing = [
      '┌───┐       ┌───┐',
      '│ a ├─┬─1%─▶│ b ├─┐ 1rps',
      '└───┘ │     │   │ │',
      '┌───┐ │     │   │◀┘',
      '│ d ├─│────▶│   │',
      '└───┘ │     └───┘',
      '      │     ┌───┐',
      '      └────▶│ c │',
      '            └───┘',
    ].join('\n');
    const read = readDrawing(drawing);
    expect(read.boxes.map((b) => b.name).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(read.edges.sort()).toEqual(['a -> b', 'a -> c', 'b -> b', 'd -> b']);
  });

  it('rejects lines from two boxes that merge, since the drawing no longer says who calls whom', () => {
    const drawing = [
      '┌───┐   ┌───┐',
      '│ a ├─┬▶│ c │',
      '└───┘ │ └───┘',
      '┌───┐ │ ┌───┐',
      '│ b ├─┴▶│ d │',
      '└───┘   └───┘',
    ].join('\n');
    expect(() => readDrawing(drawing)).toThrow(/runs into a box/);
  });

  it('rejects a line that ends nowhere', () => {
    const drawing = ['┌───┐', '│ a ├──   ', '└───┘'].join('\n');
    expect(() => readDrawing(drawing)).toThrow(/ends/);
  });

  it('rejects an arrowhead pointing the wrong way', () => {
    const drawing = ['┌───┐   ┌───┐', '│ a ├──◀│ b │', '└───┘   └───┘'].join('\n');
    expect(() => readDrawing(drawing)).toThrow(/arrowhead/);
  });
});
