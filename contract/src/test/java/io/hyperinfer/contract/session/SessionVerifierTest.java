package io.hyperinfer.contract.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.testkit.Seeds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class SessionVerifierTest {
  private final ManualClock clock = new ManualClock();
  private final KeyPair auth = Ed25519.fromSeed(new byte[32]);
  private final SessionVerifier verifier = new SessionVerifier(auth.publicKey(), clock);

  private SessionClaims claims(Duration ttl) {
    Instant now = clock.instant();
    return new SessionClaims("s1", "u1", "ann@example.com", Set.of("user", "admin"), now, now.plus(ttl));
  }

  private static String sign(byte[] payload, KeyPair key) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(payload) + "." + b64.encodeToString(Ed25519.sign(payload, key.secretKey()));
  }

  private SessionException.Code failure(String token) {
    return assertThrows(SessionException.class, () -> verifier.verify(token)).code();
  }

  @Test
  void shouldReturnClaimsWhenTokenIsSignedAndFresh() {
    SessionClaims issued = claims(Duration.ofHours(1));
    SessionClaims verified = verifier.verify(sign(SessionTokens.payload(issued), auth));
    assertEquals(issued, verified);
    assertTrue(verified.hasRole("admin"));
  }

  @Test
  void shouldRejectAsExpiredWhenClockPassesExpiry() {
    String token = sign(SessionTokens.payload(claims(Duration.ofMinutes(5))), auth);
    clock.advance(Duration.ofMinutes(5).minusSeconds(1));
    verifier.verify(token);
    clock.advance(Duration.ofSeconds(1));
    assertEquals(SessionException.Code.SESSION_EXPIRED, failure(token));
  }

  @Test
  void shouldRejectWhenSignedByAnotherKey() {
    KeyPair other = Ed25519.fromSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
        21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});
    assertEquals(SessionException.Code.INVALID_SESSION,
        failure(sign(SessionTokens.payload(claims(Duration.ofHours(1))), other)));
  }

  @Test
  void shouldRejectWhenPayloadIsTampered() {
    String token = sign(SessionTokens.payload(claims(Duration.ofHours(1))), auth);
    byte[] forged = SessionTokens.payload(new SessionClaims("s1", "u2", "eve@example.com", Set.of("admin"),
        clock.instant(), clock.instant().plus(Duration.ofDays(9))));
    String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(forged)
        + token.substring(token.indexOf('.'));
    assertEquals(SessionException.Code.INVALID_SESSION, failure(tampered));
  }

  @Test
  void shouldRejectWhenTokenIsMalformed() {
    for (String token : new String[] {null, "", "abc", ".abc", "abc.", "a.b.c", "!!.??", "x".repeat(5000)}) {
      assertEquals(SessionException.Code.INVALID_SESSION, failure(token), String.valueOf(token));
    }
  }

  @Test
  void shouldRejectWhenSignedPayloadIsNotAClaimsObject() {
    for (String json : new String[] {"[]", "not json", "{\"v\":2}", "{\"v\":1,\"sid\":\"s\",\"sub\":\"u\","
        + "\"email\":\"e\",\"roles\":[\"root\"],\"iat\":1,\"exp\":2}", "{\"v\":1,\"sid\":\"s\",\"sub\":\"u\","
        + "\"email\":\"e\",\"roles\":[],\"iat\":\"x\",\"exp\":2}", "null"}) {
      assertEquals(SessionException.Code.INVALID_SESSION,
          failure(sign(json.getBytes(StandardCharsets.UTF_8), auth)), json);
    }
  }

  @Test
  void shouldVerifyWhenSignedThroughSign() {
    SessionClaims issued = claims(Duration.ofHours(1));
    assertEquals(issued, verifier.verify(SessionTokens.sign(issued, auth)));
    assertThrows(IllegalArgumentException.class, () -> new SessionClaims("s", "u", "e", Set.of("root"),
        clock.instant(), clock.instant()));
  }

  @Test
  void shouldRefuseConstructionWhenPublicKeyHasWrongSize() {
    assertThrows(IllegalArgumentException.class, () -> new SessionVerifier(new byte[31], clock));
    assertThrows(IllegalArgumentException.class, () -> new SessionVerifier(null, clock));
  }

  @Tag("fuzz")
  @Test
  void shouldFailTypedWhenTokensAreRandom() {
    SplittableRandom random = Seeds.random("SessionVerifierTest.fuzz");
    String valid = sign(SessionTokens.payload(claims(Duration.ofHours(1))), auth);
    int iterations = Seeds.fuzzIterations() / 10;
    for (int i = 0; i < iterations; i++) {
      char[] chars = valid.toCharArray();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        chars[random.nextInt(chars.length)] = (char) (32 + random.nextInt(95));
      }
      String mutated = new String(chars);
      try {
        verifier.verify(mutated);
      } catch (SessionException e) {
        assertEquals(SessionException.Code.INVALID_SESSION, e.code());
      }
    }
  }
}
