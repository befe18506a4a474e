package io.sparkps.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one JSON configuration of model headers. Unknown properties are ignored, so a header
 * written by a newer SparkPS with extra fields (same format version) still loads; output is
 * indented for people reading {@code model.json}; {@code isX()} methods are not taken for
 * properties, so derived values such as {@code Standardizer.isIdentity()} stay out of the file.
 */
public final class ModelJson {

  private static final ObjectMapper MAPPER = newMapper();

  private ModelJson() {
  }

  /** A new mapper with the header configuration, for tools that read or print headers. */
  public static ObjectMapper newMapper() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .build();
  }

  /** The header as indented UTF-8 JSON. */
  public static byte[] toBytes(ModelHeader header) {
    try {
      return MAPPER.writeValueAsBytes(header);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the model header as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The JSON tree of {@code bytes}; throws on malformed JSON. */
  static JsonNode readTree(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  /**
   * Brings a header tree of an older format version to the current one, in place. Version 1
   * wrote the model spec without a {@code type} (only dense models existed): it becomes
   * {@code "type": "dense"}, and the version becomes {@link ModelHeader#CURRENT_FORMAT_VERSION}.
   */
  static void upgrade(JsonNode tree) {
    if (!(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode header)) {
      return;
    }
    if (header.path("formatVersion").asInt() == 1) {
      if (header.get("spec") instanceof com.fasterxml.jackson.databind.node.ObjectNode spec
          && !spec.has("type")) {
        com.fasterxml.jackson.databind.node.ObjectNode typed = MAPPER.createObjectNode();
        typed.put("type", "dense");
        typed.setAll(spec);
        header.set("spec", typed);
      }
      header.put("formatVersion", ModelHeader.CURRENT_FORMAT_VERSION);
    }
  }

  /** Binds a tree to a header; throws on missing or invalid fields. */
  static ModelHeader toHeader(JsonNode tree) throws JsonProcessingException {
    return MAPPER.treeToValue(tree, ModelHeader.class);
  }
}
