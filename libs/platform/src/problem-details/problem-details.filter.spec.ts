import {
  BadRequestException,
  Body,
  Controller,
  Get,
  type INestApplication,
  Logger,
  Module,
  Post,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import request from 'supertest';
import {
  AllocationInProgressError,
  NoSandboxesAvailableError,
  NotSandboxOwnerError,
  SandboxNotFoundError,
  ExtensionLimitReachedError,
} from '@broker/domain';
import { fastifyServerOptions, installHttpHooks } from '../http/fastify-http';
import { PROBLEM_CONTENT_TYPE } from './problem-codes';
import { ProblemDetailsFilter, resolveProblem } from './problem-details.filter';
import { createValidationPipe } from './validation-pipe';

class NameDto {
  @IsString()
  name!: string;
}

@Controller()
class FaultyController {
  @Get('exhausted')
  exhausted(): never {
    throw new NoSandboxesAvailableError('lab-');
  }

  @Get('owner')
  owner(): never {
    throw new NotSandboxOwnerError('42');
  }

  @Get('missing')
  missing(): never {
    throw new SandboxNotFoundError('42');
  }

  @Get('in-progress')
  inProgress(): never {
    throw new AllocationInProgressError();
  }

  @Get('boom')
  boom(): never {
    throw new Error('connect ECONNREFUSED 10.0.0.7:8000 secret-internal-detail');
  }

  @Get('unauthorized')
  unauthorized(): never {
    throw new UnauthorizedException({
      code: 'UNAUTHORIZED',
      message: 'A bearer token is required',
    });
  }

  @Get('bad-header')
  badHeader(): never {
    throw new BadRequestException({
      code: 'MISSING_SANDBOX_ID',
      message: 'X-Instruqt-Sandbox-ID is required',
    });
  }

  @Post('echo')
  echo(@Body() body: NameDto): NameDto {
    return body;
  }

  @Post('ignore')
  ignore(): { ok: true } {
    return { ok: true };
  }
}

@Module({
  controllers: [FaultyController],
  providers: [
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
class FaultyModule {}

describe('ProblemDetailsFilter over HTTP (Fastify)', () => {
  let app: NestFastifyApplication;
  let errorLog: jest.SpyInstance;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [FaultyModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter(fastifyServerOptions({ bodyLimit: 1024 })),
      { logger: false, bodyParser: false },
    );
    installHttpHooks(app.getHttpAdapter().getInstance(), { docsPaths: ['/docs'] });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  beforeEach(() => {
    errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation();
  });

  afterEach(() => errorLog.mockRestore());

  afterAll(async () => {
    await app.close();
  });

  const server = () => (app as INestApplication).getHttpServer();

  function expectProblem(res: request.Response, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({
      type: `https://sandbox-broker.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
      status,
      code,
    });
    expect(typeof body.title).toBe('string');
    expect(typeof body.detail).toBe('string');
    expect(body.request_id).toBe(res.headers['x-request-id']);
    return body;
  }

  it('maps pool exhaustion to 409 with Retry-After: 30', async () => {
    const res = await request(server()).get('/exhausted');
    const body = expectProblem(res, 409, 'NO_SANDBOXES_AVAILABLE');
    expect(res.headers['retry-after']).toBe('30');
    expect(body.retry_after).toBe(30);
    expect(body.detail).toBe("No sandboxes available with name prefix 'lab-'");
  });

  it('maps ownership, not-found and in-progress domain errors', async () => {
    expectProblem(await request(server()).get('/owner'), 403, 'NOT_SANDBOX_OWNER');
    expectProblem(await request(server()).get('/missing'), 404, 'SANDBOX_NOT_FOUND');
    const res = await request(server()).get('/in-progress');
    expectProblem(res, 409, 'ALLOCATION_IN_PROGRESS');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('hides unexpected errors behind a generic 500 and logs the cause under err', async () => {
    const res = await request(server()).get('/boom');
    const body = expectProblem(res, 500, 'INTERNAL_ERROR');
    expect(res.text).not.toContain('secret-internal-detail');
    expect(body.detail).toBe('An unexpected error occurred');
    expect(errorLog).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.any(Error), request_id: body.request_id }),
      'Unhandled error',
    );
  });

  it('adds WWW-Authenticate: Bearer to every 401', async () => {
    const res = await request(server()).get('/unauthorized');
    expectProblem(res, 401, 'UNAUTHORIZED');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('keeps a code given by the thrower', async () => {
    expectProblem(await request(server()).get('/bad-header'), 400, 'MISSING_SANDBOX_ID');
  });

  it('answers unknown routes with 404 NOT_FOUND', async () => {
    expectProblem(await request(server()).get('/nope'), 404, 'NOT_FOUND');
  });

  it('lists validation errors', async () => {
    const res = await request(server()).post('/echo').send({ name: 5, extra: true });
    const body = expectProblem(res, 400, 'VALIDATION_ERROR');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'name must be a string' },
        { field: 'extra', message: 'property extra should not exist' },
      ]),
    );
  });

  it('answers 413 PAYLOAD_TOO_LARGE and 400 for malformed JSON', async () => {
    const big = await request(server())
      .post('/ignore')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ pad: 'x'.repeat(2000) }));
    expectProblem(big, 413, 'PAYLOAD_TOO_LARGE');
    const broken = await request(server())
      .post('/ignore')
      .set('Content-Type', 'application/json')
      .send('{"a":');
    expectProblem(broken, 400, 'VALIDATION_ERROR');
  });

  it('accepts an empty JSON body (lab scripts send the header without a body)', async () => {
    await request(server())
      .post('/ignore')
      .set('Content-Type', 'application/json')
      .expect(201, { ok: true });
  });

  it('echoes a safe X-Request-ID and replaces an unsafe one', async () => {
    const echoed = await request(server()).get('/missing').set('X-Request-ID', 'abc-123.x_y');
    expect(echoed.headers['x-request-id']).toBe('abc-123.x_y');
    expect(JSON.parse(echoed.text).request_id).toBe('abc-123.x_y');
    const unsafe = await request(server()).get('/missing').set('X-Request-ID', 'a b<script>');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(unsafe.text).request_id).toBe(unsafe.headers['x-request-id']);
  });

  it('sets security headers, with the strict CSP outside the docs', async () => {
    const res = await request(server()).post('/ignore');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
    expect(res.headers['x-request-id']).toBeDefined();
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json');
  });
});

describe('resolveProblem', () => {
  it('treats non-Error throws as unexpected 500s', () => {
    expect(resolveProblem('string thrown')).toMatchObject({ status: 500, unexpected: true });
    expect(resolveProblem(undefined)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
  });

  it('ignores a malformed code on an HttpException', () => {
    const problem = resolveProblem(new BadRequestException({ code: 'lower case', message: 'x' }));
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_ERROR', detail: 'x' });
  });

  it("adds a domain error's extra members (the extension limits) to the problem", () => {
    const limits = { step_minutes: 60, max_count: 2, max_lease_hours: 72, extension_count: 2 };
    expect(resolveProblem(new ExtensionLimitReachedError('42', limits))).toMatchObject({
      status: 409,
      code: 'EXTENSION_LIMIT_REACHED',
      fields: { limits },
    });
  });
});
