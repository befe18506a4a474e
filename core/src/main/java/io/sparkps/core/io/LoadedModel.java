package io.sparkps.core.io;

/**
 * A model read back from its directory: the header and the flat parameter vector, whose length
 * is {@code header.parameterCount()}.
 */
public record LoadedModel(ModelHeader header, float[] params) {

  public LoadedModel {
    if (params.length != header.parameterCount()) {
      throw new IllegalArgumentException("the header declares " + header.parameterCount()
          + " parameters but " + params.length + " were given");
    }
  }
}
