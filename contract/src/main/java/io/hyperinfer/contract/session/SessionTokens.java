package io.hyperinfer.contract.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;

/**
 * The compact session token format: {@code base64url(payload JSON) "." base64url(Ed25519 signature of the payload
 * bytes)}, unpadded. The signature covers the exact payload bytes, so no JSON canonicalisation is needed. Payload:
 * {@code {"v":1,"sid":..,"sub":..,"email":..,"roles":["admin","user"],"iat":epochSeconds,"exp":epochSeconds}}.
 * Thread-safe.
 */
public final class SessionTokens {
  /** Longest token accepted; anything longer is hostile or broken. */
  public static final int MAX_TOKEN_LENGTH = 4096;
  static final int VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();

  /** A token split into its signed bytes and signature; not yet verified. */
  record Parts(byte[] payload, byte[] signature) {}

  private SessionTokens() {}

  /** A token carrying {@code claims}, signed with {@code signer} (the session key). */
  public static String sign(SessionClaims claims, KeyPair signer) {
    byte[] payload = payload(claims);
    return B64.encodeToString(payload) + "." + B64.encodeToString(Ed25519.sign(payload, signer.secretKey()));
  }

  static byte[] payload(SessionClaims claims) {
    ObjectNode node = JSON.createObjectNode();
    node.put("v", VERSION);
    node.put("sid", claims.sessionId());
    node.put("sub", claims.userId());
    node.put("email", claims.email());
    ArrayNode roles = node.putArray("roles");
    new TreeSet<>(claims.roles()).forEach(roles::add);
    node.put("iat", claims.issuedAt().getEpochSecond());
    node.put("exp", claims.expiresAt().getEpochSecond());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Splits a token, or {@link SessionException.Code#INVALID_SESSION} when it is not of the right shape. */
  static Parts split(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw invalid();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.') || dot == token.length() - 1) {
      throw invalid();
    }
    try {
      return new Parts(B64_DECODE.decode(token.substring(0, dot)), B64_DECODE.decode(token.substring(dot + 1)));
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  /** Parses signed payload bytes into claims, or {@link SessionException.Code#INVALID_SESSION}. */
  static SessionClaims claims(byte[] payload) {
    JsonNode node;
    try {
      node = JSON.readTree(payload);
    } catch (IOException e) {
      throw invalid();
    }
    if (node == null || !node.isObject() || node.path("v").asInt(-1) != VERSION
        || !node.path("sid").isTextual() || !node.path("sub").isTextual() || !node.path("email").isTextual()
        || !node.path("roles").isArray() || !node.path("iat").canConvertToLong()
        || !node.path("exp").canConvertToLong()) {
      throw invalid();
    }
    Set<String> roles = new TreeSet<>();
    for (JsonNode role : node.path("roles")) {
      if (!role.isTextual()) {
        throw invalid();
      }
      roles.add(role.asText());
    }
    try {
      return new SessionClaims(node.get("sid").asText(), node.get("sub").asText(), node.get("email").asText(), roles,
          Instant.ofEpochSecond(node.get("iat").asLong()), Instant.ofEpochSecond(node.get("exp").asLong()));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      throw invalid();
    }
  }

  static SessionException invalid() {
    return new SessionException(SessionException.Code.INVALID_SESSION, "session token is not valid");
  }
}
