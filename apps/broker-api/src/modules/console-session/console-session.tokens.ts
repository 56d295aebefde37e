export const CONSOLE_SESSIONS = Symbol.for('broker.api.ConsoleSessions');
export const SIGN_IN_LIMITER = Symbol.for('broker.api.SignInLimiter');
export const SESSION_COOKIE_SECURE = Symbol.for('broker.api.SessionCookieSecure');
