import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCookieAuth,
  ApiForbiddenResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Roles, SESSION_COOKIE } from '@broker/auth';
import { ProblemDto } from '../dto/problem.dto';

/**
 * An operator controller: admin and viewer tokens (or a console session cookie), with its
 * Swagger tag, auth schemes and 401/403. A viewer is read-only: the guard refuses it on every
 * method but GET/HEAD (403 FORBIDDEN), and a cookie request that changes state needs
 * `X-CSRF-Token` (403 CSRF_TOKEN_INVALID).
 */
export const AdminApi = (tag: string): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth('admin'),
    ApiBearerAuth('viewer'),
    ApiCookieAuth(SESSION_COOKIE),
    ApiUnauthorizedResponse({
      type: ProblemDto,
      description: 'Missing or invalid bearer token or session',
    }),
    ApiForbiddenResponse({
      type: ProblemDto,
      description:
        'FORBIDDEN: not an operator token, or a viewer on a state-changing route; ' +
        'CSRF_TOKEN_INVALID: a cookie request without its X-CSRF-Token',
    }),
    Roles('admin', 'viewer'),
  );
