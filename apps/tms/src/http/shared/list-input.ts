import { Transform } from 'class-transformer';

/**
 * A list field that arrives as an array (JSON) or as a single string (a form with one checkbox
 * ticked, or a text area with one entry per line).
 */
export function ListInput(splitLines = false): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    return splitLines ? value.split(/\r?\n/).filter((line) => line.trim() !== '') : [value];
  });
}
