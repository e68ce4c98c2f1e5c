package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-lines driver for real: a node script built on testkit's own json-lines-driver.js. */
@Timeout(120)
class JsDriverIT {
  @Test
  void shouldReturnResultsAndErrorCodesAndFailTheTestWhenAnOpEndsOtherwiseThanExpected(@TempDir Path dir)
      throws Exception {
    Path script = dir.resolve("driver.js");
    Files.writeString(script, """
        const { serve } = require(%s)
        serve({
          echo: async (msg) => ({ twice: msg.n * 2, word: msg.word }),
          fail: async () => { const e = new Error('no such thing'); e.code = 'ERR_NOPE'; throw e }
        }, async () => {})
        """.formatted(jsString(ProjectPaths.root().resolve("testkit/src/main/js/json-lines-driver.js"))));
    try (JsDriver js = JsDriver.start(script.toString())) {
      assertEquals(42, js.ok("echo", "n", 21, "word", "hi").get("twice").asInt());
      assertEquals("hi", js.ok("echo", JsDriver.args("n", 1, "word", "hi")).get("word").asText());
      assertEquals("ERR_NOPE", js.error("fail"));
      AssertionError failed = assertThrows(AssertionError.class, () -> js.ok("fail"));
      assertTrue(failed.getMessage().contains("ERR_NOPE"), failed.getMessage());
      AssertionError succeeded = assertThrows(AssertionError.class, () -> js.error("echo", "n", 2));
      assertTrue(succeeded.getMessage().contains("\"twice\":4"), succeeded.getMessage());
      assertEquals(false, js.call("fail", JsDriver.args()).get("ok").asBoolean());
    }
  }

  @Test
  void shouldRefuseArgumentsWhenTheyDoNotComeInPairs() {
    assertThrows(IllegalArgumentException.class, () -> JsDriver.args("lonely"));
  }

  private static String jsString(Path p) {
    return "'" + p.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
