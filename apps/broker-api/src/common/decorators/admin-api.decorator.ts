import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Roles } from '@broker/auth';
import { ProblemDto } from '../dto/problem.dto';

/** An admin-token controller: the role check plus its Swagger tag, auth scheme and 401/403. */
export const AdminApi = (tag: string): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth('admin'),
    ApiUnauthorizedResponse({ type: ProblemDto, description: 'Missing or invalid bearer token' }),
    ApiForbiddenResponse({ type: ProblemDto, description: 'Not an admin token' }),
    Roles('admin'),
  );
