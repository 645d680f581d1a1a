// Tokens are kept only as SHA-256 hashes at rest (docs/rules.md#safe-to-expose). This is the portable
// implementation (@noble/hashes runs in the browser too, for the MSW handlers); the Node server passes
// node:crypto's, about three times faster, to the app. Both give the same lowercase hex.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

export type TokenHasher = (token: string) => string;

export const sha256Hex: TokenHasher = (token) => bytesToHex(sha256(utf8ToBytes(token)));

/** Longer tokens are refused before any look-up: real tokens are far shorter, and hashing costs. */
export const TOKEN_MAX_LENGTH = 256;
