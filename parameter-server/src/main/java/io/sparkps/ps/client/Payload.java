package io.sparkps.ps.client;

/** What a request carries after its header: floats, or keys followed by floats. */
sealed interface Payload permits FloatSlice, KeyedSlice {

  /** Bytes the payload takes on the wire. */
  int bytes();
}
