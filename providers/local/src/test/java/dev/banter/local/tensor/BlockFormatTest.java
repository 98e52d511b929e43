package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BlockFormatTest {

  @Test
  void q4_0_takes_18_bytes_per_32_weights() {
    assertEquals(32, Q4_0.BLOCK_SIZE);
    assertEquals(18, Q4_0.TYPE_SIZE);
    assertEquals(GgmlType.Q4_0.typeSize(), Q4_0.TYPE_SIZE);
    assertEquals(GgmlType.Q4_0.blockSize(), Q4_0.BLOCK_SIZE);
  }

  @Test
  void q8_0_takes_34_bytes_per_32_weights() {
    assertEquals(32, Q8_0.BLOCK_SIZE);
    assertEquals(34, Q8_0.TYPE_SIZE);
    assertEquals(GgmlType.Q8_0.typeSize(), Q8_0.TYPE_SIZE);
    assertEquals(GgmlType.Q8_0.blockSize(), Q8_0.BLOCK_SIZE);
  }

  @Test
  void q4_k_takes_144_bytes_per_256_weights() {
    assertEquals(256, Q4_K.BLOCK_SIZE);
    assertEquals(144, Q4_K.TYPE_SIZE);
    assertEquals(GgmlType.Q4_K.typeSize(), Q4_K.TYPE_SIZE);
    assertEquals(GgmlType.Q4_K.blockSize(), Q4_K.BLOCK_SIZE);
  }

  @Test
  void q5_k_takes_176_bytes_per_256_weights() {
    assertEquals(256, Q5_K.BLOCK_SIZE);
    assertEquals(176, Q5_K.TYPE_SIZE);
    assertEquals(GgmlType.Q5_K.typeSize(), Q5_K.TYPE_SIZE);
    assertEquals(GgmlType.Q5_K.blockSize(), Q5_K.BLOCK_SIZE);
  }

  @Test
  void q6_k_takes_210_bytes_per_256_weights() {
    assertEquals(256, Q6_K.BLOCK_SIZE);
    assertEquals(210, Q6_K.TYPE_SIZE);
    assertEquals(GgmlType.Q6_K.typeSize(), Q6_K.TYPE_SIZE);
    assertEquals(GgmlType.Q6_K.blockSize(), Q6_K.BLOCK_SIZE);
  }

  @Test
  void plain_floats_take_4_2_and_2_bytes_per_weight() {
    assertEquals(4, F32.TYPE_SIZE);
    assertEquals(2, F16.TYPE_SIZE);
    assertEquals(2, BF16.TYPE_SIZE);
    assertEquals(GgmlType.F32.typeSize(), F32.TYPE_SIZE);
    assertEquals(GgmlType.F16.typeSize(), F16.TYPE_SIZE);
    assertEquals(GgmlType.BF16.typeSize(), BF16.TYPE_SIZE);
    assertEquals(1, F32.BLOCK_SIZE);
    assertEquals(1, F16.BLOCK_SIZE);
    assertEquals(1, BF16.BLOCK_SIZE);
  }

  @Test
  void f32_row_reads_little_endian_floats() {
    ByteBuffer b = TestData.le(8);
    b.putInt(0, 0x3FC00000).putInt(4, 0xC0200000);
    float[] y = new float[2];
    F32.dequantizeRow(b, 0, y, 0, 2);
    assertArrayEquals(new float[] {1.5f, -2.5f}, y);
  }

  @Test
  void f16_row_reads_little_endian_halfs() {
    ByteBuffer b = TestData.le(6);
    b.put(0, (byte) 0x00).put(1, (byte) 0x3C);    // 1.0
    b.put(2, (byte) 0x00).put(3, (byte) 0xC1);    // -2.5
    b.put(4, (byte) 0x01).put(5, (byte) 0x00);    // smallest subnormal
    float[] y = new float[3];
    F16.dequantizeRow(b, 0, y, 0, 3);
    assertArrayEquals(new float[] {1.0f, -2.5f, 0x1p-24f}, y);
  }

  @Test
  void bf16_row_reads_the_top_half_of_floats() {
    ByteBuffer b = TestData.le(4);
    b.putShort(0, (short) 0x3FC0).putShort(2, (short) 0xC120);
    float[] y = new float[2];
    BF16.dequantizeRow(b, 0, y, 0, 2);
    assertArrayEquals(new float[] {1.5f, -10.0f}, y);
  }

  @Test
  void q8_0_weight_is_scale_times_signed_quant() {
    ByteBuffer b = TestData.le(2 * Q8_0.TYPE_SIZE);
    b.putShort(0, (short) 0x3800);                // d = 0.5
    b.put(2, (byte) -128).put(3, (byte) -1).put(4, (byte) 1).put(33, (byte) 127);
    b.putShort(34, (short) 0x4000);               // second block: d = 2
    b.put(36, (byte) 3);
    float[] y = new float[64];
    Q8_0.dequantizeRow(b, 0, y, 0, 64);
    assertEquals(-64f, y[0]);
    assertEquals(-0.5f, y[1]);
    assertEquals(0.5f, y[2]);
    assertEquals(0f, y[3]);
    assertEquals(63.5f, y[31]);
    assertEquals(6f, y[32]);
    assertEquals(0f, y[33]);
  }

  @Test
  void q4_0_low_nibbles_are_the_first_half_and_high_nibbles_the_second() {
    ByteBuffer b = TestData.le(Q4_0.TYPE_SIZE);
    b.putShort(0, (short) 0x4000);                // d = 2
    b.put(2, (byte) 0x9F);                        // weight 0: 15 - 8, weight 16: 9 - 8
    b.put(17, (byte) 0x08);                       // weight 15: 8 - 8, weight 31: 0 - 8
    float[] y = new float[32];
    Q4_0.dequantizeRow(b, 0, y, 0, 32);
    assertEquals(14f, y[0]);
    assertEquals(2f, y[16]);
    assertEquals(0f, y[15]);
    assertEquals(-16f, y[31]);
    assertEquals(-16f, y[1]);
  }

  /** Sub-blocks 0, 1 and 5 with scale/min 3/2, 1/0 and 17/34 (the last using the packed high bits). */
  private static ByteBuffer kScales(int size, int scalesAt) {
    ByteBuffer b = TestData.le(size);
    b.putShort(0, (short) 0x3C00);                // d = 1
    b.putShort(2, (short) 0x3800);                // dmin = 0.5
    b.put(scalesAt, (byte) 3);                    // scale 0
    b.put(scalesAt + 4, (byte) 2);                // min 0
    b.put(scalesAt + 1, (byte) (0x40 | 1));       // scale 1 = 1; top bits 01 -> scale 5 += 16
    b.put(scalesAt + 5, (byte) 0x80);             // min 1 = 0; top bits 10 -> min 5 += 32
    b.put(scalesAt + 9, (byte) 0x21);             // scale 5 low = 1, min 5 low = 2
    return b;
  }

  @Test
  void q4_k_unpacks_six_bit_scales_and_mins() {
    ByteBuffer b = kScales(Q4_K.TYPE_SIZE, 4);
    b.put(16, (byte) 0x7A);                       // weight 0 (sub-block 0): 10, weight 32 (sub-block 1): 7
    b.put(16 + 64 + 3, (byte) 0xC0);              // weight 131 (sub-block 4): 0, weight 163 (sub-block 5): 12
    assertEquals(3, Q4_K.scale(b, 4, 0));
    assertEquals(2, Q4_K.min(b, 4, 0));
    assertEquals(17, Q4_K.scale(b, 4, 5));
    assertEquals(34, Q4_K.min(b, 4, 5));
    float[] y = new float[256];
    Q4_K.dequantizeRow(b, 0, y, 0, 256);
    assertEquals(1 * 3 * 10 - 0.5f * 2, y[0]);
    assertEquals(-1f, y[1]);
    assertEquals(7f, y[32]);
    assertEquals(0f, y[131]);
    assertEquals(1 * 17 * 12 - 0.5f * 34, y[163]);
    assertEquals(-17f, y[164]);
  }

  @Test
  void q5_k_adds_sixteen_for_each_high_bit() {
    ByteBuffer b = kScales(Q5_K.TYPE_SIZE, 4);
    b.put(16 + 0, (byte) 0x01);                   // qh[0] bit 0: weight 0 of sub-block 0
    b.put(16 + 3, (byte) 0x20);                   // qh[3] bit 5: weight 3 of sub-block 5
    b.put(48, (byte) 0x7A);
    b.put(48 + 64 + 3, (byte) 0xC0);
    float[] y = new float[256];
    Q5_K.dequantizeRow(b, 0, y, 0, 256);
    assertEquals(3 * (10 + 16) - 0.5f * 2, y[0]);
    assertEquals(7f, y[32]);
    assertEquals(17 * (12 + 16) - 0.5f * 34, y[163]);
    assertEquals(0f, y[131]);
  }

  @Test
  void q6_k_combines_nibbles_and_two_high_bits_with_signed_scales() {
    ByteBuffer b = TestData.le(Q6_K.TYPE_SIZE);
    b.putShort(208, (short) 0x3400);              // d = 0.25
    b.put(0, (byte) 0x5F);                        // ql[0]: weight 0 low 15, weight 64 low 5
    b.put(128, (byte) 0xE4);                      // qh[0]: bits 00 / 01 / 10 / 11 for weights 0 / 32 / 64 / 96
    b.put(192, (byte) 2).put(194, (byte) -3).put(196, (byte) 4).put(198, (byte) 1);
    b.put(64 + 17, (byte) 0x03);                  // second half, l = 17: ql
    b.put(128 + 32 + 17, (byte) 0x02);            // qh: high bits 10
    b.put(192 + 8 + 1, (byte) -5);                // scale of sub-block l / 16 = 1 in the second half
    float[] y = new float[256];
    Q6_K.dequantizeRow(b, 0, y, 0, 256);
    assertEquals(0.25f * 2 * (15 - 32), y[0]);
    assertEquals(0.25f * 2 * (0 - 32), y[1]);
    assertEquals(0.25f * -3 * (16 - 32), y[32]);
    assertEquals(0.25f * 4 * (5 + 32 - 32), y[64]);
    assertEquals(0.25f * 1 * (48 - 32), y[96]);
    assertEquals(0.25f * -5 * (3 + 32 - 32), y[128 + 17]);
    assertEquals(0f, y[16], 0f);
  }

  @Test
  void q2_k_q3_k_and_iq4_xs_take_84_110_and_136_bytes_per_256_weights() {
    assertEquals(84, Q2_K.TYPE_SIZE);
    assertEquals(110, Q3_K.TYPE_SIZE);
    assertEquals(136, IQ4_XS.TYPE_SIZE);
    assertEquals(GgmlType.Q2_K.typeSize(), Q2_K.TYPE_SIZE);
    assertEquals(GgmlType.Q3_K.typeSize(), Q3_K.TYPE_SIZE);
    assertEquals(GgmlType.IQ4_XS.typeSize(), IQ4_XS.TYPE_SIZE);
    assertEquals(256, Q2_K.BLOCK_SIZE);
    assertEquals(256, Q3_K.BLOCK_SIZE);
    assertEquals(256, IQ4_XS.BLOCK_SIZE);
    assertEquals(GgmlType.Q2_K.blockSize(), Q2_K.BLOCK_SIZE);
    assertEquals(GgmlType.Q3_K.blockSize(), Q3_K.BLOCK_SIZE);
    assertEquals(GgmlType.IQ4_XS.blockSize(), IQ4_XS.BLOCK_SIZE);
  }

  @Test
  void q2_k_takes_two_bits_per_weight_in_128_weight_halves_with_nibble_scales_and_mins() {
    ByteBuffer b = TestData.le(Q2_K.TYPE_SIZE);
    b.putShort(80, (short) 0x3C00);               // d = 1
    b.putShort(82, (short) 0x3800);               // dmin = 0.5
    b.put(0, (byte) 0x23);                        // sub-block 0: scale 3, min 2
    b.put(1, (byte) 0x01);                        // sub-block 1: scale 1, min 0
    b.put(2, (byte) 0x12);                        // sub-block 2: scale 2, min 1
    b.put(4, (byte) 0x05);                        // sub-block 4: scale 5, min 0
    b.put(6, (byte) 0x31);                        // sub-block 6: scale 1, min 3
    b.put(14, (byte) 0x27);                       // sub-block 14: scale 7, min 2
    b.put(16, (byte) 0x9B);                       // qs[0] bit pairs 3, 2, 1, 2: weights 0, 32, 64, 96
    b.put(16 + 17, (byte) 0x03);                  // qs[17]: weight 17 = 3
    b.put(16 + 37, (byte) 0x80);                  // qs[37] (second half, l = 5), bits 6-7 = 2: weight 229
    float[] y = new float[256];
    Q2_K.dequantizeRow(b, 0, y, 0, 256);
    assertEquals(1 * 3 * 3 - 0.5f * 2, y[0]);
    assertEquals(-1f, y[1]);
    assertEquals(0f, y[16]);
    assertEquals(3f, y[17]);
    assertEquals(2 * 2 - 0.5f, y[32]);
    assertEquals(5 * 1, y[64]);
    assertEquals(1 * 2 - 0.5f * 3, y[96]);
    assertEquals(0f, y[133]);
    assertEquals(7 * 2 - 0.5f * 2, y[229]);
    assertEquals(-1f, y[230]);
  }

  @Test
  void q3_k_unpacks_six_bit_scales_and_subtracts_four_where_the_high_bit_is_clear() {
    ByteBuffer b = TestData.le(Q3_K.TYPE_SIZE);
    b.putShort(108, (short) 0x3800);              // d = 0.5
    int s = 96;
    b.put(s, (byte) 0x0A).put(s + 8, (byte) 0x02);          // scale 0: 10 | 2 << 4 = 42 -> 10
    b.put(s + 5, (byte) 0x03).put(s + 9, (byte) 0x0C);      // scale 5: 3 | 3 << 4 = 51 -> 19
    b.put(s + 2, (byte) 0x70).put(s + 10, (byte) 0x10);     // scale 10: 7 | 1 << 4 = 23 -> -9
    b.put(s + 7, (byte) 0xF0).put(s + 11, (byte) 0xC0);     // scale 15: 15 | 3 << 4 = 63 -> 31
    assertEquals(10, Q3_K.scale(b, s, 0));
    assertEquals(19, Q3_K.scale(b, s, 5));
    assertEquals(-9, Q3_K.scale(b, s, 10));
    assertEquals(31, Q3_K.scale(b, s, 15));
    assertEquals(-32, Q3_K.scale(b, s, 2));
    assertEquals(-32, Q3_K.scale(b, s, 4));
    b.put(32, (byte) 0x5B);                       // qs[0] bit pairs 3, 2, 1, 1: weights 0, 32, 64, 96
    b.put(0, (byte) 0x05);                        // hmask[0]: high bits of weights 0 and 64 set
    b.put(32 + 16, (byte) 0x20);                  // qs[16], bits 4-5 = 2: weight 80 (sub-block 5)
    b.put(32 + 36, (byte) 0x0C);                  // qs[36] (second half, l = 4), bits 2-3 = 3: weight 164
    b.put(4, (byte) 0x20);                        // hmask[4] bit 5 (= 4 h + k): weight 164 set
    b.put(32 + 63, (byte) 0x80);                  // qs[63], bits 6-7 = 2: weight 255
    b.put(31, (byte) 0x80);                       // hmask[31] bit 7
    float[] y = new float[256];
    Q3_K.dequantizeRow(b, 0, y, 0, 256);
    assertEquals(0.5f * 10 * 3, y[0]);
    assertEquals(0.5f * 10 * -4, y[1]);
    assertEquals(0.5f * -32 * (2 - 4), y[32]);
    assertEquals(0.5f * -32 * 1, y[64]);
    assertEquals(0.5f * 19 * (2 - 4), y[80]);
    assertEquals(0.5f * -32 * (1 - 4), y[96]);
    assertEquals(0.5f * -32 * -4, y[128]);
    assertEquals(0.5f * -9 * 3, y[164]);
    assertEquals(0.5f * -9 * -4, y[165]);
    assertEquals(0.5f * 31 * 2, y[255]);
  }

  @Test
  void iq4_xs_looks_up_non_linear_values_with_scales_split_between_scales_l_and_scales_h() {
    ByteBuffer b = TestData.le(IQ4_XS.TYPE_SIZE);
    b.putShort(0, (short) 0x3400);                // d = 0.25
    b.putShort(2, (short) 0xC002);                // scales_h: sub-block 0 top bits 2, sub-block 7 top bits 3
    b.put(4, (byte) 0xF5);                        // scales_l[0]: sub-block 0 low 5, sub-block 1 low 15
    b.put(7, (byte) 0x10);                        // scales_l[3]: sub-block 7 low 1
    assertEquals(5, IQ4_XS.scale(b, 0, 0));       // 5 | 2 << 4 = 37
    assertEquals(-17, IQ4_XS.scale(b, 0, 1));     // 15
    assertEquals(-32, IQ4_XS.scale(b, 0, 2));
    assertEquals(17, IQ4_XS.scale(b, 0, 7));      // 1 | 3 << 4 = 49
    b.put(8, (byte) 0x0F);                        // weight 0: index 15, weight 16: index 0
    b.put(8 + 16, (byte) 0x98);                   // sub-block 1: weight 32 index 8, weight 48 index 9
    b.put(8 + 112 + 3, (byte) 0x7A);              // sub-block 7: weight 227 index 10, weight 243 index 7
    float[] y = new float[256];
    IQ4_XS.dequantizeRow(b, 0, y, 0, 256);
    assertEquals(0.25f * 5 * 113, y[0]);
    assertEquals(0.25f * 5 * -127, y[16]);
    assertEquals(0.25f * 5 * -127, y[1]);
    assertEquals(0.25f * -17 * 1, y[32]);
    assertEquals(0.25f * -17 * 13, y[48]);
    assertEquals(0.25f * -32 * -127, y[64]);
    assertEquals(0.25f * 17 * 25, y[227]);
    assertEquals(0.25f * 17 * -10, y[243]);
  }
}
