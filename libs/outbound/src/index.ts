export * from './address-policy';
export * from './guarded-outbound-http';
export * from './outbound.module';
