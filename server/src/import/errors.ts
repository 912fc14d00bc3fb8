/**
 * A problem with an input file of the official import: the message always names the file, so a
 * user can fix the input without reading a stack trace. Thrown before anything is written.
 */
export class ImportInputError extends Error {
  override readonly name = 'ImportInputError';
  constructor(
    readonly file: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
  }
}
