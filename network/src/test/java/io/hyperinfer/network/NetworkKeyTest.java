package io.hyperinfer.network;

import static io.hyperinfer.network.RosterTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NetworkKeyTest {
  private static final byte[] SEED = new byte[32];

  @Test
  void shouldSignRostersThatVerifyOnlyUnderTheirNetworkWhenTheOperatorSigns() {
    NetworkKey operator = NetworkKey.generate();
    NetworkKey other = NetworkKey.generate();
    SignedRoster signed = operator.sign(Roster.empty(operator.hex()).admit("01".repeat(32), Role.AUTH));

    assertTrue(signed.verify(operator.hex()));
    assertFalse(signed.verify(other.hex()), "another network's roster");
    SignedRoster forged = new SignedRoster(Roster.empty(operator.hex()).admit("02".repeat(32), Role.AUTH),
        signed.signature());
    assertFalse(forged.verify(operator.hex()), "a signature over a different roster");
    SignedRoster byStranger = new SignedRoster(signed.roster(),
        SignedRoster.sign(signed.roster(), other.keyPair().orElseThrow().secretKey()).signature());
    assertFalse(byStranger.verify(operator.hex()), "signed by a key that is not the network's");
    assertCode(NetworkException.Code.WRONG_NETWORK, () -> operator.sign(Roster.empty(other.hex())));
  }

  @Test
  void shouldRefuseToSignWhenOnlyThePublicKeyIsKnown() {
    NetworkKey operator = NetworkKey.fromSeed(SEED);
    NetworkKey worker = NetworkKey.parse(operator.hex().toUpperCase());

    assertEquals(operator, worker);
    assertEquals(operator.hashCode(), worker.hashCode());
    assertTrue(worker.keyPair().isEmpty());
    assertCode(NetworkException.Code.NO_SECRET_KEY, () -> worker.sign(Roster.empty(worker.hex())));
    assertCode(NetworkException.Code.NO_SECRET_KEY, worker::seed);
    assertFalse(worker.toString().contains("operator"));
    assertTrue(operator.toString().contains("operator"));
    assertFalse(operator.toString().contains(HexFormat.of().formatHex(operator.seed())), "never prints the seed");
  }

  @Test
  void shouldRecreateTheSameKeyWhenLoadedFromItsSeed() {
    NetworkKey operator = NetworkKey.generate();
    NetworkKey again = NetworkKey.fromSeed(operator.seed());

    assertArrayEquals(operator.publicKey(), again.publicKey());
    assertEquals(operator.keyPair(), again.keyPair());
    assertNotEquals(operator, NetworkKey.generate());
    assertNotEquals(operator, "a string");
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> NetworkKey.fromSeed(new byte[31]));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> NetworkKey.fromSeed(null));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> NetworkKey.ofPublic(new byte[33]));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> NetworkKey.parse("abc"));
  }

  @Test
  void shouldMatchTheJsWorkerFrameworkWhenTopicsAreKeyed() {
    byte[] key = new byte[32];
    for (int i = 0; i < 32; i++) {
      key[i] = (byte) i;
    }
    // From node: HyperDHT.hash(createHmac('sha256', key).update('hyperinfer/auth').digest()), key = 00 01 .. 1f
    assertEquals("b36c2bda5c9b243a4c8bca79eeabc09bf813170f3e3ebc8abfa8f3e656a37eb5",
        HexFormat.of().formatHex(NetworkKey.ofPublic(key).topic("hyperinfer/auth")));
    assertEquals("fbe473503ce8ced44be958c4bd395c410b833a16ee625ef43b8fc37fa93441ea",
        HexFormat.of().formatHex(NetworkKey.ofPublic(key).topic("hyperinfer/gateway")), "docs/PROTOCOL.md 3a");
    // HyperDHT.hash(Buffer.from('hyperinfer/auth'))
    assertEquals("a751404bc1cb596c579104fa0e9d334230866c31f32e39a6dca72ac6968c45fb",
        HexFormat.of().formatHex(Topics.unkeyed("hyperinfer/auth")));
    assertFalse(java.util.Arrays.equals(NetworkKey.generate().topic("t"), NetworkKey.generate().topic("t")),
        "two networks never share a topic");
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> Topics.keyed(new byte[3], "t"));
  }
}
