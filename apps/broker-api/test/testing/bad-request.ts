import { BadRequestException } from '@nestjs/common';

/** The problem body of the BadRequestException `fn` throws; fails the test when it throws none. */
export function badRequestOf(fn: () => unknown): Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse() as Record<string, unknown>;
  }
  throw new Error('expected a BadRequestException');
}
