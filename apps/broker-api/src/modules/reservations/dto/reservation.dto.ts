import { ApiProperty } from '@nestjs/swagger';
import { RESERVATION_STATUSES } from '@broker/domain';

/** A reservation as operators see it (timestamps in epoch seconds). */
export class ReservationDto {
  @ApiProperty() reservation_id!: string;
  @ApiProperty() track!: string;
  @ApiProperty({ description: 'Seats booked' }) count!: number;
  @ApiProperty() starts_at!: number;
  @ApiProperty() ends_at!: number;
  @ApiProperty({ description: "Empty: any sandbox's name" }) name_prefix!: string;
  @ApiProperty({ enum: RESERVATION_STATUSES }) status!: string;
  @ApiProperty({ description: 'starts_at − lead: earmarking starts, the class draws from it' })
  earmark_at!: number;
  @ApiProperty({ description: 'Unclaimed earmarked sandboxes go back to the pool then' })
  release_at!: number;
  @ApiProperty() release_unclaimed_after_minutes!: number;
  @ApiProperty({ description: 'Sandboxes earmarked now (status reserved)' }) held!: number;
  @ApiProperty({ description: 'Class members given an earmarked sandbox' }) allocated!: number;
  @ApiProperty({ description: 'Seats still owed: count − allocated (0 once not confirmed)' })
  remaining!: number;
  @ApiProperty() created_at!: number;
  @ApiProperty({ description: "The admin token's name that booked it" }) created_by!: string;
  @ApiProperty() updated_at!: number;
}

export class ReservationPageDto {
  @ApiProperty({ type: [ReservationDto] }) reservations!: ReservationDto[];
  @ApiProperty() count!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Null on the last page' })
  cursor!: string | null;
}

/** One reservation window of the forecast. */
export class CapacityWindowDto {
  @ApiProperty() reservation_id!: string;
  @ApiProperty() track!: string;
  @ApiProperty() name_prefix!: string;
  @ApiProperty() starts_at!: number;
  @ApiProperty() ends_at!: number;
  @ApiProperty({ description: 'Seats it still needs' }) outstanding!: number;
  @ApiProperty({ description: 'Seats of it and every earlier window together' })
  cumulative!: number;
  @ApiProperty({ description: 'Sandboxes to create at the provider before it starts' })
  shortfall!: number;
  @ApiProperty({ example: 'short by 12 for track X at 2026-11-30T09:00:00Z' }) summary!: string;
}

export class CapacityDto {
  @ApiProperty() name_prefix!: string;
  @ApiProperty({ description: 'Available now' }) available!: number;
  @ApiProperty({ description: 'Earmarked now' }) reserved!: number;
  @ApiProperty({ description: 'Seats live reservations within the horizon still need' })
  held!: number;
  @ApiProperty({ description: 'Sum of the windows’ final shortfall: what to create' })
  shortfall!: number;
  @ApiProperty() until!: number;
  @ApiProperty({ type: [CapacityWindowDto] }) windows!: CapacityWindowDto[];
}
