/**
 * wxpay-coupon as a library: sign, verify, send and pre-order card-switch tokens from code.
 * Nothing here knows about the command line.
 */
export { WxpayClient, requestToken, readTokenAnswer, parseBaseUrl, DEFAULT_BASE_URL, TOKEN_PATH } from './client.js';
export type {
  ApiResponse,
  CallOptions,
  ClientCredentials,
  ClientEvent,
  ClientOptions,
  PreparedRequest,
  TokenResult,
  VerifierFor,
} from './client.js';
export { LAUNCH_APP_ID, LAUNCH_PAGE, LAUNCH_TOKEN_MAX_LENGTH, launchParameters, launchTokenWarning } from './launch.js';
export type { LaunchParameters, LaunchWarning } from './launch.js';
export { parseCouponSpec, validateTokenRequest, serializeTokenRequest, normalizeStockId, SERVER_MESSAGES } from './coupon.js';
export type { Coupon, CouponInput, StockIdInput, TokenRequest, TokenRequestInput } from './coupon.js';
export { AUTHORIZATION_SCHEME, buildMessage, generateNonce, parseAuthorization, requestMessage, signMessage, signRequest } from './sign.js';
export type { AuthorizationFields, SignRequestInput, SignedRequest } from './sign.js';
export { Verifier, verifySignature, responseMessage, MAX_CLOCK_SKEW_SECONDS, RESPONSE_HEADERS } from './verify.js';
export type { HeaderLookup, VerifiedResponse } from './verify.js';
export { loadCertificate, loadPrivateKey, loadPublicKey, KeyMaterialError } from './keys.js';
export type { LoadedCertificate, VerificationKey, VerificationKeyKind } from './keys.js';
export { loadConfig, SEARCH_PLACES, CONFIG_KEYS, ENV_VARIABLES, SECRET_SETTINGS, KEY_FILE_MAX_BYTES } from './config.js';
export type { LoadConfigOptions, ResolvedConfig, ConfigKey, SecretHandling } from './config.js';
export {
  WxpayError,
  ApiError,
  ConfigError,
  InterruptedError,
  NetworkError,
  UsageError,
  VerificationError,
  EXIT_CODES,
  isWxpayError,
} from './errors.js';
export type { ErrorKind, ConfigProblem } from './errors.js';
export { JsonNumber, parseLosslessJson, reformatJson } from './json.js';
export { Transport, isLoopbackHost, DEFAULT_TIMEOUT_MS, MAX_RESPONSE_BYTES } from './transport.js';
export type { HttpRequest, HttpResponse, TransportOptions } from './transport.js';
export {
  CERTIFICATES_PATH,
  decryptResource,
  encryptResource,
  downloadCertificates,
  readCertificateListing,
  DecryptionError,
} from './certificates.js';
export type { EncryptedResource, PlatformCertificate } from './certificates.js';
