import { Controller, Get, Module, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Public, Roles } from '../auth.decorators';
import { findUnguardedRoutes, listRouteAuth } from './find-unguarded-routes';

@Controller('a')
class GuardedController {
  @Get()
  @Roles('track')
  read(): void {}

  @Get('health')
  @Public()
  health(): void {}

  helper(): void {}
}

@Roles('admin')
@Controller('b')
class ClassGuardedController {
  @Post()
  act(): void {}
}

@Controller('c')
class DeliberatelyUnguardedController {
  @Get()
  leak(): void {}

  @Post()
  @Roles('admin')
  fine(): void {}
}

@Module({ controllers: [GuardedController, ClassGuardedController] })
class GuardedModule {}

@Module({ imports: [GuardedModule], controllers: [DeliberatelyUnguardedController] })
class LeakyModule {}

describe('findUnguardedRoutes', () => {
  it('reports nothing when every route has @Public or @Roles (method or class level)', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [GuardedModule] }).compile();
    expect(findUnguardedRoutes(moduleRef)).toEqual([]);
    expect(listRouteAuth(moduleRef)).toEqual([
      { route: 'GuardedController.read', isPublic: false, roles: ['track'] },
      { route: 'GuardedController.health', isPublic: true, roles: [] },
      { route: 'ClassGuardedController.act', isPublic: false, roles: ['admin'] },
    ]);
    await moduleRef.close();
  });

  it('fails on a deliberately unguarded handler', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [LeakyModule] }).compile();
    expect(findUnguardedRoutes(moduleRef)).toEqual(['DeliberatelyUnguardedController.leak']);
    await moduleRef.close();
  });
});
