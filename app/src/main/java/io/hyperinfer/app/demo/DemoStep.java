package io.hyperinfer.app.demo;

/**
 * One step of the demo journey. A step does something on the local network and checks that it did what it should:
 * it returns a line for the reader on success and throws {@link DemoFailure} (or anything else) otherwise.
 */
public interface DemoStep {
  /** What the step does, as the reader sees it ("A user registers"). */
  String title();

  /** Runs the step against {@code ctx}; returns the detail line printed under the title. */
  String run(DemoContext ctx) throws Exception;

  /** A step from a title and a body. */
  static DemoStep of(String title, Body body) {
    return new DemoStep() {
      @Override
      public String title() {
        return title;
      }

      @Override
      public String run(DemoContext ctx) throws Exception {
        return body.run(ctx);
      }
    };
  }

  /** The body of a step made with {@link #of}. */
  @FunctionalInterface
  interface Body {
    String run(DemoContext ctx) throws Exception;
  }
}
