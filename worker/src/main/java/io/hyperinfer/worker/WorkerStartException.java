package io.hyperinfer.worker;

/** A worker failed to start; {@link #step()} names the step ("config", "facility store", "identity", "onStart"). */
public final class WorkerStartException extends WorkerException {
  private final String step;

  public WorkerStartException(WorkerContext ctx, String step, Throwable cause) {
    super(Code.START_FAILED, "worker " + ctx.label() + " failed to start at step '" + step + "': "
        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
    this.step = step;
  }

  public String step() {
    return step;
  }
}
