package io.hyperinfer.processor;

/**
 * The processor module's one unchecked exception. {@link #wireCode()} is the stable {@code ERR_...} code that crosses
 * the network; the message is plain words and never holds prompts or secrets.
 */
public final class ProcessorException extends RuntimeException {
  /** Stable failure kinds. */
  public enum Code {
    BAD_REQUEST("ERR_BAD_REQUEST"),
    MODEL_NOT_FOUND("ERR_MODEL_NOT_FOUND"),
    ENGINE_UNAVAILABLE("ERR_ENGINE_UNAVAILABLE"),
    ENGINE_FAILED("ERR_ENGINE_FAILED"),
    TIMEOUT("ERR_TIMEOUT"),
    BUSY("ERR_BUSY"),
    FORBIDDEN("ERR_FORBIDDEN"),
    /** The model cannot honour a parameter of the request; {@link #param()} names it. */
    UNSUPPORTED("ERR_UNSUPPORTED"),
    /** The prompt plus the answer's cap do not fit the model's context. */
    CONTEXT_LENGTH_EXCEEDED("ERR_CONTEXT_LENGTH_EXCEEDED");

    private final String wire;

    Code(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  private final Code code;
  private final String param;

  public ProcessorException(Code code, String message) {
    this(code, message, null);
  }

  public ProcessorException(Code code, String message, Throwable cause) {
    this(code, message, cause, null);
  }

  private ProcessorException(Code code, String message, Throwable cause, String param) {
    super(message, cause);
    this.code = code;
    this.param = param;
  }

  /** The request parameter at fault (OpenAI's name), or null. */
  public String param() {
    return param;
  }

  public Code code() {
    return code;
  }

  public String wireCode() {
    return code.wire();
  }

  public static ProcessorException badRequest(String message) {
    return new ProcessorException(Code.BAD_REQUEST, message);
  }

  public static ProcessorException modelNotFound(String model) {
    return new ProcessorException(Code.MODEL_NOT_FOUND, "model '" + model + "' is not served here");
  }

  public static ProcessorException unavailable(String message, Throwable cause) {
    return new ProcessorException(Code.ENGINE_UNAVAILABLE, message, cause);
  }

  public static ProcessorException failed(String message) {
    return new ProcessorException(Code.ENGINE_FAILED, message);
  }

  public static ProcessorException timeout(String message) {
    return new ProcessorException(Code.TIMEOUT, message);
  }

  public static ProcessorException busy(String message) {
    return new ProcessorException(Code.BUSY, message);
  }

  public static ProcessorException unsupported(String param, String message) {
    return new ProcessorException(Code.UNSUPPORTED, message, null, param);
  }

  public static ProcessorException contextLength(String message, String param) {
    return new ProcessorException(Code.CONTEXT_LENGTH_EXCEEDED, message, null, param);
  }

  public static ProcessorException forbidden(String message) {
    return new ProcessorException(Code.FORBIDDEN, message);
  }
}
