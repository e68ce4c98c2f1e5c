package io.hyperinfer.network;

import static io.hyperinfer.network.RosterTest.assertCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SignedRosterTest {
  private final NetworkKey network = NetworkKey.generate();
  private final SignedRoster signed = network.sign(Roster.empty(network.hex()).admit("01".repeat(32), Role.GATEWAY));

  @Test
  void shouldDecodeItsOwnEncodingWhenWholeAndRefuseAnythingElse() {
    byte[] bytes = signed.encode();

    assertEquals(signed, SignedRoster.decode(bytes));
    assertEquals(signed.hashCode(), SignedRoster.decode(bytes).hashCode());
    assertCode(NetworkException.Code.BAD_ROSTER, () -> SignedRoster.decode(Arrays.copyOf(bytes, bytes.length + 1)));
    assertCode(NetworkException.Code.BAD_ROSTER, () -> SignedRoster.decode(Arrays.copyOf(bytes, bytes.length - 1)));
    assertCode(NetworkException.Code.BAD_ROSTER, () -> SignedRoster.decode(new byte[SignedRoster.MAX_BYTES + 1]));
    assertCode(NetworkException.Code.BAD_ROSTER, () -> SignedRoster.decode(null));
  }

  @Test
  void shouldRefuseMalformedSignaturesWhenConstructed() {
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new SignedRoster(signed.roster(), new byte[63]));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new SignedRoster(null, new byte[64]));
    assertCode(NetworkException.Code.BAD_ARGUMENT, () -> new SignedRoster(signed.roster(), null));
  }

  @Test
  void shouldKeepItsSignaturePrivateWhenTheCallerChangesACopy() {
    byte[] sig = signed.signature();
    sig[0] ^= 1;
    assertTrue(signed.verify(network.hex()));
    assertNotEquals(signed, new SignedRoster(signed.roster(), sig));
    assertNotEquals(signed, "roster");
    assertTrue(signed.toString().contains("seq=2"));
  }
}
