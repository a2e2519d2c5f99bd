// oidc-provider ships no type declarations (and @types/oidc-provider is not installed): the few
// pieces the real-provider tests use.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface ResourceServer {
    scope: string;
    audience?: string;
    accessTokenFormat?: 'jwt' | 'opaque';
    accessTokenTTL?: number;
    jwt?: { sign?: { alg?: string } };
  }

  export interface Configuration {
    clients?: Record<string, unknown>[];
    jwks?: { keys: object[] };
    ttl?: Record<string, number>;
    features?: {
      devInteractions?: { enabled: boolean };
      clientCredentials?: { enabled: boolean };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (ctx: unknown, client: unknown, oneOf?: string) => string | Promise<string>;
        useGrantedResource?: (ctx: unknown, model: unknown) => boolean | Promise<boolean>;
        getResourceServerInfo?: (ctx: unknown, resource: string, client: unknown) => ResourceServer | Promise<ResourceServer>;
      };
    };
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    static errors: { InvalidTarget: new (description?: string) => Error };
  }
}
