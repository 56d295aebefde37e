import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** `POST /v1/admin/session` body: the admin or viewer token, exchanged for a session cookie. */
export class SignInBodyDto {
  @ApiProperty({ description: 'An admin or viewer token (never logged, never stored)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  token!: string;
}

export class SessionDto {
  @ApiProperty({ enum: ['admin', 'viewer'] })
  role!: 'admin' | 'viewer';

  @ApiProperty({ description: 'Configured name of the token signed in with' })
  token_name!: string;

  @ApiProperty({ description: 'ISO-8601; the cookie and the session end then' })
  expires_at!: string;

  @ApiProperty({
    description:
      'Send as `X-CSRF-Token` on every state-changing request made with the session cookie',
  })
  csrf_token!: string;
}
