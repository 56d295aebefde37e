import { Controller, Get, type INestApplication, Module, Post } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { Roles } from './auth.decorators';
import { AuthModule } from './auth.module';
import { BearerTokenGuard } from './bearer-token.guard';
import {
  CONSOLE_SESSION_RESOLVER,
  type ConsoleSessionResolver,
  csrfTokenMatches,
  csrfTokenOf,
  sha256Hex,
} from './console-session';

@Roles('admin', 'viewer')
@Controller('ops')
class OpsController {
  @Get()
  read(): string {
    return 'read';
  }

  @Post()
  change(): string {
    return 'changed';
  }
}

/** Sessions `admin-session` and `viewer-session`; anything else is unknown. */
const resolver: ConsoleSessionResolver = {
  resolve: (id) =>
    Promise.resolve(
      id === 'admin-session' || id === 'viewer-session'
        ? {
            principal: { role: id === 'admin-session' ? 'admin' : 'viewer', tokenName: 'n' },
            csrfTokenHash: sha256Hex(csrfTokenOf(id)),
          }
        : null,
    ),
};

@Module({
  imports: [
    AuthModule.forRoot({
      tokens: {
        track: [],
        admin: [{ name: 'ops', token: 'admin-token-1' }],
        viewer: [{ name: 'ins', token: 'viewer-token-1' }],
      },
      sessionResolver: { provide: CONSOLE_SESSION_RESOLVER, useValue: resolver },
    }),
  ],
  controllers: [OpsController],
  providers: [{ provide: APP_GUARD, useExisting: BearerTokenGuard }],
})
class DemoModule {}

/** A cookie parser stand-in: the guard reads `request.cookies` (set by @fastify/cookie in the app). */
function withCookies(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (req, _reply, done) => {
      const header = req.headers.cookie ?? '';
      (req as unknown as { cookies: Record<string, string> }).cookies = Object.fromEntries(
        header
          .split(';')
          .map((part) => part.trim().split('='))
          .filter((pair) => pair.length === 2),
      );
      done();
    });
}

describe('BearerTokenGuard with console sessions and the viewer role', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [DemoModule] }).compile();
    const fastifyApp = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter(),
    );
    withCookies(fastifyApp);
    app = fastifyApp;
    await app.init();
    await fastifyApp.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app.close();
  });

  const server = () => request(app.getHttpServer());

  it('a viewer token reads and may not change, whatever the route allows', async () => {
    await server().get('/ops').set('Authorization', 'Bearer viewer-token-1').expect(200, 'read');
    const refused = await server().post('/ops').set('Authorization', 'Bearer viewer-token-1');
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({
      code: 'FORBIDDEN',
      message: 'A viewer token is read-only',
    });
    await server().post('/ops').set('Authorization', 'Bearer admin-token-1').expect(201);
  });

  it('accepts a live session cookie; an unknown one is 401', async () => {
    await server().get('/ops').set('Cookie', 'broker_session=admin-session').expect(200, 'read');
    const unknown = await server().get('/ops').set('Cookie', 'broker_session=forged');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('needs the session csrf token for a change made with the cookie', async () => {
    const cookie = 'broker_session=admin-session';
    const missing = await server().post('/ops').set('Cookie', cookie);
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
    const other = await server()
      .post('/ops')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrfTokenOf('viewer-session'));
    expect(other.body).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
    await server()
      .post('/ops')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrfTokenOf('admin-session'))
      .expect(201, 'changed');
    // A viewer's session with its right csrf token still changes nothing.
    const viewer = await server()
      .post('/ops')
      .set('Cookie', 'broker_session=viewer-session')
      .set('X-CSRF-Token', csrfTokenOf('viewer-session'));
    expect(viewer.body).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a bearer header wins over the cookie (and is checked as usual)', async () => {
    const res = await server()
      .get('/ops')
      .set('Cookie', 'broker_session=admin-session')
      .set('Authorization', 'Bearer nope');
    expect(res.status).toBe(401);
  });

  it('compares csrf tokens by digest, refusing empty and wrong ones', () => {
    const digest = sha256Hex('token-a');
    expect(csrfTokenMatches('token-a', digest)).toBe(true);
    expect(csrfTokenMatches('token-b', digest)).toBe(false);
    expect(csrfTokenMatches('', digest)).toBe(false);
    expect(csrfTokenMatches(undefined, digest)).toBe(false);
  });
});
