import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The operator's view of a sandbox row (all fields, owner included). */
export class AdminSandboxDto {
  @ApiProperty() sandbox_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() external_id!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, nullable: true }) sfdc_account_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) owner_id!: string | null;
  @ApiProperty({ type: String, nullable: true }) track_name!: string | null;
  @ApiProperty({ type: Number, nullable: true }) allocated_at!: number | null;
  @ApiProperty({ type: Number, nullable: true }) expires_at!: number | null;
  @ApiProperty({ type: Number, nullable: true }) deletion_requested_at!: number | null;
  @ApiProperty() deletion_attempts!: number;
  @ApiProperty({ type: Number, nullable: true }) next_attempt_at!: number | null;
  @ApiProperty({ type: String, nullable: true }) last_error!: string | null;
  @ApiProperty({ type: String, nullable: true }) quarantine_reason!: string | null;
  @ApiProperty({ type: Number, nullable: true }) deleted_at!: number | null;
  @ApiProperty({ type: Number, nullable: true }) stale_since!: number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Reservation it is earmarked for (reserved) or was allocated from',
  })
  reservation_id!: string | null;
  @ApiProperty() created_at!: number;
  @ApiProperty() updated_at!: number;
  @ApiPropertyOptional() version?: number;
}

export class AdminSandboxPageDto {
  @ApiProperty({ type: [AdminSandboxDto] }) sandboxes!: AdminSandboxDto[];
  @ApiProperty() count!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Null on the last page' })
  cursor!: string | null;
}
