import { ApiProperty } from '@nestjs/swagger';
import { SandboxStatus } from '@broker/domain';

/** A sandbox as a lab script sees it (snake_case, as in the original API). */
export class SandboxResponseDto {
  @ApiProperty({ description: 'Broker id (the CSP numeric account id)', example: '2026839' })
  sandbox_id!: string;

  @ApiProperty({ description: 'CSP account name', example: 'lab-demo-0087' })
  name!: string;

  @ApiProperty({
    description: 'Full CSP path of the account',
    example: 'identity/accounts/3f1c9a4e-8d2b-4c61-9f0e-5a7b2c8d1e44',
  })
  external_id!: string;

  @ApiProperty({ enum: Object.values(SandboxStatus), example: 'allocated' })
  status!: SandboxStatus;

  @ApiProperty({ type: String, nullable: true, description: 'Student id of the owner' })
  allocated_to_track!: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Unix seconds', example: 1763812800 })
  allocated_at!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Unix seconds; end of the lease: allocated_at + the track lease (TRACK_LEASE_MINUTES) or ' +
      'LAB_DURATION_HOURS, plus any self-extensions',
    example: 1763985600,
  })
  expires_at!: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Instruqt track slug' })
  track_name!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Salesforce account id' })
  sfdc_account_id!: string | null;
}
