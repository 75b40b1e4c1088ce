import { DynamicModule, Module } from '@nestjs/common';
import { OutboundHttp } from '@tms/core';
import { GuardedOutboundHttp, OutboundSettings } from './guarded-outbound-http';

/** The guarded client behind core's OutboundHttp port, with the deployment's allow-list. */
@Module({})
export class OutboundModule {
  static forRoot(settings: OutboundSettings): DynamicModule {
    return {
      module: OutboundModule,
      global: true,
      providers: [
        { provide: OutboundSettings, useValue: settings },
        { provide: OutboundHttp, useClass: GuardedOutboundHttp },
      ],
      exports: [OutboundHttp],
    };
  }
}
