/**
 * Authentication is Better Auth (email + password now; its OIDC plugins later) on our Prisma
 * client. Tenancy — teams, roles, invitations, API keys — is ours, in lib/server, because
 * retune's roles and key scopes are part of its domain.
 */
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { recordAudit } from "./audit";
import { db } from "./db";
import { authSecret, env } from "./env";

function createAuth() {
  return betterAuth({
    appName: "retune",
    baseURL: env().APP_URL,
    secret: authSecret(),
    database: prismaAdapter(db(), { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128 },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    telemetry: { enabled: false },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: 30 },
        "/sign-up/email": { window: 60, max: 30 },
      },
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user, ctx) => {
            await recordAudit({
              action: "auth.sign-up",
              actorUserId: user.id,
              targetType: "user",
              targetId: user.id,
              ip: ipOf(ctx?.headers),
            });
          },
        },
      },
      session: {
        create: {
          after: async (session, ctx) => {
            await recordAudit({
              action: "auth.sign-in",
              actorUserId: session.userId,
              targetType: "user",
              targetId: session.userId,
              ip: ipOf(ctx?.headers),
            });
          },
        },
      },
    },
  });
}

export function ipOf(headers: Headers | undefined | null): string | null {
  const forwarded = headers?.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers?.get("x-real-ip") || null;
}

type Auth = ReturnType<typeof createAuth>;
const globalForAuth = globalThis as unknown as { retuneAuth?: Auth };

export function auth(): Auth {
  globalForAuth.retuneAuth ??= createAuth();
  return globalForAuth.retuneAuth;
}
