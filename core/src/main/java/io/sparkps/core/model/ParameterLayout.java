package io.sparkps.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each tensor of a model lies in its flat parameter vector. Layer {@code l} owns a weight
 * matrix of {@code in x out} floats, row-major (row {@code k} holds the weights leaving input
 * {@code k}), followed by {@code out} biases. The parameter server sees only the flat vector;
 * this layout is how the math reads it.
 */
public final class ParameterLayout {

  /** One tensor: {@code rows x cols} floats from {@code offset}; weights or biases. */
  public record Segment(String name, int offset, int rows, int cols, boolean weight) {
    public int size() {
      return rows * cols;
    }
  }

  private final List<Segment> segments;
  private final int size;

  private ParameterLayout(List<Segment> segments, int size) {
    this.segments = List.copyOf(segments);
    this.size = size;
  }

  /** The layout of a dense network with the given layer sizes (input first, output last). */
  public static ParameterLayout dense(int[] layerSizes) {
    return dense(layerSizes, 0);
  }

  /**
   * As {@link #dense(int[])}, with the network's floats starting at {@code base} of a larger
   * vector (the deep part of a wide and deep model); {@link #size()} counts the network's floats
   * only.
   */
  public static ParameterLayout dense(int[] layerSizes, int base) {
    List<Segment> segs = new ArrayList<>();
    int offset = base;
    for (int l = 0; l + 1 < layerSizes.length; l++) {
      int in = layerSizes[l];
      int out = layerSizes[l + 1];
      long next = (long) offset + (long) in * out + out;
      if (next > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("model has more than 2^31 parameters at layer " + l);
      }
      segs.add(new Segment("W" + l, offset, in, out, true));
      offset += in * out;
      segs.add(new Segment("b" + l, offset, 1, out, false));
      offset += out;
    }
    return new ParameterLayout(segs, offset - base);
  }

  public List<Segment> segments() {
    return segments;
  }

  /** Total number of floats. */
  public int size() {
    return size;
  }

  public List<Segment> weightSegments() {
    return segments.stream().filter(Segment::weight).toList();
  }

  /** Weight segment of layer {@code l}. */
  public Segment weights(int l) {
    return segments.get(2 * l);
  }

  /** Bias segment of layer {@code l}. */
  public Segment biases(int l) {
    return segments.get(2 * l + 1);
  }

  public int layers() {
    return segments.size() / 2;
  }
}
