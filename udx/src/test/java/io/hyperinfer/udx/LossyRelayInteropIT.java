package io.hyperinfer.udx;

import io.hyperinfer.testkit.Seeds;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Java streams against udx-native 1.21.3 (libudx) through a seeded lossy relay (5, 10 and 20% loss), 1 MiB each way
 * byte-exact: the retransmission timers on the real clock, against libudx's. Its own class (it takes most of
 * {@link UdxInteropIT}'s time), so the two test JVMs run it beside the rest.
 */
@Timeout(60)
class LossyRelayInteropIT extends UdxNativeCase {
  @Test
  void shouldCompleteByteExactWithUdxNativeThroughLossyRelay() throws Exception {
    for (double loss : new double[] {0.05, 0.10, 0.20}) {
      SplittableRandom random = Seeds.random("interop-lossy-" + loss);
      try (LossyRelay relay = new LossyRelay(random.split(), loss, 0.05, 0.02)) {
        sendToJs(connect("sink", relay), 1 << 20, random);
        js.close();
        receiveFromJs(connect("source", relay), 1 << 20);
        js.close();
        js = null;
      }
    }
  }
}
