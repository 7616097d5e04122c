-- 0014: sessions minted from a refresh token are found through their user instead of a
-- partial index of their own. The index (0012) cost every refresh ~10 µs of the session's
-- group commit — its entries scatter over one B-tree page per live refresh token — which
-- put refresh-token issuance at 0.75 of client credentials' (docs/performance.md, goal
-- 0.8). Revocation, which is rare, now reads the refresh tokens' users' sessions through
-- sessions_user (DeleteRefreshTokens).
DROP INDEX sessions_refresh_token;
