import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { CurrentPrincipal, Public, Roles } from './auth.decorators';
import { AuthModule } from './auth.module';
import {
  BearerAuthenticationError,
  BearerTokenGuard,
  extractBearerToken,
} from './bearer-token.guard';
import type { Principal } from './roles';

@Controller()
class DemoController {
  @Get('open')
  @Public()
  open(): string {
    return 'open';
  }

  @Get('track')
  @Roles('track')
  track(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('admin')
  @Roles('admin')
  admin(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }

  @Get('forgotten')
  forgotten(): string {
    return 'should never be served';
  }
}

@Roles('admin')
@Controller('ops')
class OpsController {
  @Get()
  list(): string {
    return 'ops';
  }

  @Get('ping')
  @Public()
  ping(): string {
    return 'pong';
  }
}

@Module({
  imports: [
    AuthModule.forRoot({
      tokens: {
        track: [{ name: 'lab', token: 'track-token-1' }],
        admin: [{ name: 'ops', token: 'admin-token-1' }],
      },
    }),
  ],
  controllers: [DemoController, OpsController],
  providers: [{ provide: APP_GUARD, useExisting: BearerTokenGuard }],
})
class DemoModule {}

describe('BearerTokenGuard over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DemoModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await (app as NestFastifyApplication).getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
  });

  const get = (path: string, auth?: string) => {
    const req = request(app.getHttpServer()).get(path);
    return auth === undefined ? req : req.set('Authorization', auth);
  };

  it('lets anyone reach @Public routes, also inside a guarded controller', async () => {
    await get('/open').expect(200, 'open');
    await get('/ops/ping').expect(200, 'pong');
  });

  it('attaches {role, tokenName} for a valid token of the right role', async () => {
    const res = await get('/track', 'Bearer track-token-1').expect(200);
    expect(res.body).toEqual({ role: 'track', tokenName: 'lab' });
    await get('/admin', 'bearer admin-token-1').expect(200, { role: 'admin', tokenName: 'ops' });
    await get('/ops', 'Bearer admin-token-1').expect(200, 'ops');
  });

  it('answers 401 for a missing, malformed or unknown token', async () => {
    const missing = await get('/track').expect(401);
    expect(missing.body).toMatchObject({
      code: 'UNAUTHORIZED',
      message: 'A bearer token is required',
    });
    await get('/track', 'Basic dHJhY2s6eA==').expect(401);
    await get('/track', 'Bearer').expect(401);
    const invalid = await get('/track', 'Bearer nope').expect(401);
    expect(invalid.body).toMatchObject({ message: 'Invalid bearer token' });
  });

  it('keeps roles apart: 403 FORBIDDEN for a valid token of the other role', async () => {
    const res = await get('/track', 'Bearer admin-token-1').expect(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN' });
    await get('/admin', 'Bearer track-token-1').expect(403);
    await get('/ops', 'Bearer track-token-1').expect(403);
  });

  it('fails closed on a route with neither @Public nor @Roles', async () => {
    await get('/forgotten', 'Bearer admin-token-1').expect(403);
  });
});

describe('bearer header parsing', () => {
  it('extracts the token and distinguishes missing from malformed', () => {
    expect(extractBearerToken('Bearer abc')).toBe('abc');
    expect(extractBearerToken('BEARER  abc ')).toBe('abc');
    expect(extractBearerToken(undefined)).toBeUndefined();
    expect(extractBearerToken('')).toBeUndefined();
    expect(extractBearerToken('Bearer a b')).toBeNull();
    expect(extractBearerToken('Token abc')).toBeNull();
    expect(extractBearerToken(['Bearer a', 'Bearer b'])).toBeNull();
  });

  it('puts an RFC 6750 challenge on the 401', () => {
    expect(new BearerAuthenticationError('invalid').getResponse()).toMatchObject({
      wwwAuthenticate: 'Bearer realm="sandbox-broker", error="invalid_token"',
    });
    expect(new BearerAuthenticationError('missing').getResponse()).toMatchObject({
      wwwAuthenticate: 'Bearer realm="sandbox-broker"',
    });
  });
});
