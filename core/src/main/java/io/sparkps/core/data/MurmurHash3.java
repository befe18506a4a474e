package io.sparkps.core.data;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby, 2011, public domain algorithm), over the UTF-8
 * bytes of a string: the hash Spark ML's {@code FeatureHasher} and {@code HashingTF} use. Tail
 * bytes are mixed as the reference algorithm does (Spark's {@code hashUnsafeBytes2}).
 */
public final class MurmurHash3 {
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private MurmurHash3() {
  }

  /** The 32-bit hash of {@code s}'s UTF-8 bytes with {@code seed}. */
  public static int hash32(String s, int seed) {
    return hash32(s.getBytes(StandardCharsets.UTF_8), seed);
  }

  /** The 32-bit hash of {@code data} with {@code seed}. */
  public static int hash32(byte[] data, int seed) {
    int h = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int o = 4 * i;
      int k = (data[o] & 0xff) | (data[o + 1] & 0xff) << 8 | (data[o + 2] & 0xff) << 16
          | (data[o + 3] & 0xff) << 24;
      h ^= mixK(k);
      h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
    }
    int tail = 4 * blocks;
    int k = 0;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
        // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
        // fall through
      case 1:
        k ^= data[tail] & 0xff;
        h ^= mixK(k);
        break;
      default:
        break;
    }
    h ^= data.length;
    return fmix(h);
  }

  private static int mixK(int k) {
    k *= C1;
    k = Integer.rotateLeft(k, 15);
    return k * C2;
  }

  private static int fmix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }
}
