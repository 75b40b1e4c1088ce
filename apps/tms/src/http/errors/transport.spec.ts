import { PATH_METADATA } from '@nestjs/common/constants';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { ApiModule, LtiModule, OpsModule, WebModule } from '../../app.module';
import { TRANSPORT, TransportName, transportOfPath } from './transport';

type Controller = new (...args: never[]) => object;

/** Every route of a controller, as the router sees it (`/lti/1p3/ags/contexts/:contextId/lineitems`). */
function routesOf(controller: Controller): string[] {
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  const methods = Object.getOwnPropertyNames(controller.prototype).filter((name) => name !== 'constructor');
  return methods
    .map((name) => Reflect.getMetadata(PATH_METADATA, controller.prototype[name as keyof object]) as string | undefined)
    .filter((path): path is string => path !== undefined)
    .map((path) => `/${[base, path].filter((part) => part && part !== '/').join('/')}`.replace(/\/+/g, '/'));
}

const controllers = [ApiModule, WebModule, LtiModule, OpsModule].flatMap(
  (module) => (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, module) ?? []) as Controller[],
);

describe('transports', () => {
  it('should name a transport on every controller, whose paths hold each of its routes', () => {
    expect(controllers.length).toBeGreaterThan(30);
    for (const controller of controllers) {
      const transport = Reflect.getMetadata(TRANSPORT, controller) as TransportName | undefined;
      expect({ controller: controller.name, transport }).toEqual({
        controller: controller.name,
        transport: expect.any(String),
      });
      for (const route of routesOf(controller)) {
        // An error outside any route on this path is answered as the route's own errors are.
        expect({ route, transport: transportOfPath(route.replace(/:\w+/g, 'x')) }).toEqual({ route, transport });
      }
    }
  });

  it('should answer paths no route takes by the transport their prefix belongs to', () => {
    expect(transportOfPath('/api/v1/nowhere')).toBe('api');
    expect(transportOfPath('/api')).toBe('api');
    expect(transportOfPath('/apiary')).toBe('page');
    expect(transportOfPath('/health/deep')).toBe('ops');
    expect(transportOfPath('/lti/1p3/token')).toBe('oauth');
    expect(transportOfPath('/lti/1p1/outcomes')).toBe('pox');
    expect(transportOfPath('/lti/1p3/ags/anything')).toBe('service');
    expect(transportOfPath('/lti/1p3/nrps/contexts/x/memberships')).toBe('service');
    expect(transportOfPath('/learn/nowhere')).toBe('page');
  });
});
