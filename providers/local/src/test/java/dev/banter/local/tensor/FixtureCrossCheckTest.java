package dev.banter.local.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fixture files hold one set of weights in several types (F16, BF16 and Q8_0/Q4_0 of the same
 * values; K-quants made by llama-quantize from the F32 original), so every decoded tensor must be
 * close to its F16 twin, within what its format loses. A wrong layout (nibble order, scale
 * packing, high bits) errs by the weights' own size and fails these bounds by far.
 */
class FixtureCrossCheckTest {
  private static FixtureTensors f16;

  @BeforeAll
  static void load() {
    f16 = FixtureTensors.load("tiny-llama-f16.gguf");
  }

  /** sqrt(Σ (decoded - f16)²) / sqrt(Σ f16²) over all 2-D tensors of the file, per type. */
  @ParameterizedTest
  @CsvSource({
    "tiny-llama-bf16.gguf,   BF16, 0.0025",
    "tiny-llama-q8_0.gguf,   Q8_0, 0.0075",
    "tiny-llama-q4_0.gguf,   Q4_0, 0.11",
    "tiny-llama-q4_k_m.gguf, Q4_K, 0.09",
    "tiny-llama-q4_k_m.gguf, Q6_K, 0.025",
    "tiny-llama-q5_k_m.gguf, Q5_K, 0.045",
    "tiny-llama-q6_k.gguf,   Q6_K, 0.025",
  })
  void decoded_tensors_are_close_to_their_f16_twins(String file, GgmlType type, double bound) {
    FixtureTensors q = FixtureTensors.load(file);
    int checked = 0;
    for (FixtureTensors.Tensor t : q.all().values()) {
      if (t.dims.length != 2 || t.type != type) {
        continue;
      }
      FixtureTensors.Tensor r = f16.get(t.name);
      assertEquals(r.rows(), t.rows());
      assertEquals(r.cols(), t.cols());
      WeightMatrix mq = t.matrix();
      WeightMatrix mr = r.matrix();
      float[] a = new float[t.cols()];
      float[] b = new float[t.cols()];
      double err = 0;
      double ref = 0;
      for (int row = 0; row < t.rows(); row++) {
        mq.dequantizeRow(row, a, 0);
        mr.dequantizeRow(row, b, 0);
        for (int j = 0; j < a.length; j++) {
          err += (a[j] - b[j]) * (double) (a[j] - b[j]);
          ref += (double) b[j] * b[j];
        }
      }
      double rel = Math.sqrt(err / ref);
      assertTrue(rel < bound, file + " " + t.name + ": relative error " + rel + " >= " + bound);
      checked++;
    }
    assertTrue(checked >= 2, "no " + type + " tensors checked in " + file);
  }

  /**
   * Per weight: Q8_0 rounds to the nearest step of its block scale d (|error| <= d/2, plus the
   * rounding of d to half precision, 127 * d * 2^-11), and the F16 twin is off by 2^-11 of the
   * weight at most; Q4_0 may clamp its top value to 7 steps instead of 8 (|error| <= d).
   */
  @ParameterizedTest
  @CsvSource({"tiny-llama-q8_0.gguf, 34, 0.57", "tiny-llama-q4_0.gguf, 18, 1.01"})
  void each_weight_is_within_its_block_step_of_the_f16_twin(String file, int typeSize, double steps) {
    FixtureTensors q = FixtureTensors.load(file);
    for (FixtureTensors.Tensor t : q.all().values()) {
      if (t.dims.length != 2) {
        continue;
      }
      WeightMatrix mq = t.matrix();
      WeightMatrix mr = f16.get(t.name).matrix();
      ByteBuffer raw = t.data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      float[] a = new float[t.cols()];
      float[] b = new float[t.cols()];
      for (int row = 0; row < t.rows(); row++) {
        mq.dequantizeRow(row, a, 0);
        mr.dequantizeRow(row, b, 0);
        for (int j = 0; j < a.length; j++) {
          int block = row * (t.cols() / 32) + j / 32;
          float d = Math.abs(F16.toFloat(raw.getShort(block * typeSize)));
          double allowed = steps * d + 0x1p-10 * Math.abs(b[j]) + 1e-7;
          double e = Math.abs(a[j] - b[j]);
          if (e > allowed) {
            throw new AssertionError(file + " " + t.name + " [" + row + ", " + j + "]: " + a[j]
                + " vs f16 " + b[j] + ", block scale " + d);
          }
        }
      }
    }
  }

  @Test
  void fixture_products_agree_with_the_f16_file_within_the_quantization_error() {
    FixtureTensors q = FixtureTensors.load("tiny-llama-q8_0.gguf");
    WeightMatrix mq = q.get("blk.0.ffn_down.weight").matrix();
    WeightMatrix mr = f16.get("blk.0.ffn_down.weight").matrix();
    float[] x = TestData.gaussian(mq.cols(), new java.util.Random(3));
    float[] yq = new float[mq.rows()];
    float[] yr = new float[mr.rows()];
    mq.matvec(x, yq);
    mr.matvec(x, yr);
    double err = 0;
    double ref = 0;
    for (int r = 0; r < yq.length; r++) {
      err += (yq[r] - yr[r]) * (double) (yq[r] - yr[r]);
      ref += (double) yr[r] * yr[r];
    }
    assertTrue(Math.sqrt(err / ref) < 0.0075, "relative error " + Math.sqrt(err / ref));
  }
}
