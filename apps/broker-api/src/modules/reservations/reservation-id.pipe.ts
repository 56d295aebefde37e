import { BadRequestException, type PipeTransform } from '@nestjs/common';

/** Reservation ids are UUIDs (DynamoDB) or `mem-rsv-…` (in-memory); anything else is a 400. */
const RESERVATION_ID = /^[A-Za-z0-9-]{1,64}$/;

export class ReservationIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!RESERVATION_ID.test(value)) {
      throw new BadRequestException({
        message: 'id must be a reservation id (letters, digits, dashes; at most 64)',
        code: 'VALIDATION_ERROR',
      });
    }
    return value;
  }
}
