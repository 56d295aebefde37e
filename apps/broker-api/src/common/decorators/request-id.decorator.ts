import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The request id Fastify assigned (the caller's safe `X-Request-ID`, else a fresh UUID). */
export const RequestId = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | undefined => {
    const id = ctx.switchToHttp().getRequest<{ id?: unknown }>().id;
    return typeof id === 'string' ? id : undefined;
  },
);
