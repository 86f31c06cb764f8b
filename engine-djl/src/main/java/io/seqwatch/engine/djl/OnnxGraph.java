package io.seqwatch.engine.djl;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A small builder of ONNX graphs over the ONNX protobuf classes: initialisers from float arrays,
 * nodes with int, float and int-list attributes, typed inputs and outputs with a dynamic batch
 * dimension, and the model wrapper with one opset.
 *
 * <p>Thread-safety: not thread-safe; one instance per export.
 */
final class OnnxGraph {
  /** The ONNX opset the exported graphs use (supported by every ONNX Runtime since 1.8). */
  static final int OPSET = 13;

  private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
  private int counter;

  OnnxGraph(String name) {
    graph.setName(name);
  }

  /** A float initialiser of the given shape. */
  String floats(String name, float[] values, long... shape) {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    if (size != values.length) {
      throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + java.util.Arrays.toString(shape));
    }
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(b.array()));
    for (long d : shape) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** An int8 initialiser of the given shape. */
  String bytes(String name, byte[] values, long... shape) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.INT8.getNumber()).setRawData(ByteString.copyFrom(values));
    for (long d : shape) {
      t.addDims(d);
    }
    graph.addInitializer(t);
    return name;
  }

  /** An int64 scalar initialiser (no dimensions: Gather by it drops the axis). */
  String scalar(String name, long value) {
    graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addInt64Data(value));
    return name;
  }

  /** An int64 initialiser (a 1-D constant). */
  String longs(String name, long... values) {
    OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
        .setDataType(OnnxMl.TensorProto.DataType.INT64.getNumber()).addDims(values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  /**
   * Adds a node; attributes are name/value pairs (Integer or Long, Float, long[] or String).
   *
   * @return the names of its outputs
   */
  List<String> node(String op, List<String> inputs, int outputs, Object... attributes) {
    OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(op + "_" + counter);
    n.addAllInput(inputs);
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < outputs; i++) {
      String o = op.toLowerCase(java.util.Locale.ROOT) + "_" + counter + "_" + i;
      outs.add(o);
      n.addOutput(o);
    }
    counter++;
    for (int i = 0; i < attributes.length; i += 2) {
      OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName((String) attributes[i]);
      Object v = attributes[i + 1];
      if (v instanceof Integer || v instanceof Long) {
        a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
      } else if (v instanceof Float f) {
        a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(f);
      } else if (v instanceof long[] l) {
        a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long x : l) {
          a.addInts(x);
        }
      } else if (v instanceof String s) {
        a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
      } else {
        throw new IllegalArgumentException("attribute " + attributes[i] + ": unsupported value " + v);
      }
      n.addAttribute(a);
    }
    graph.addNode(n);
    return outs;
  }

  /** A one-output node. */
  String op(String op, List<String> inputs, Object... attributes) {
    return node(op, inputs, 1, attributes).get(0);
  }

  /** Names of dynamic dimensions: -1 is {@code N} (the batch), -2 {@code T}, -3 {@code K}. */
  private static final List<String> DYNAMIC = List.of("N", "T", "K");

  /** Declares a graph input; a dimension of -1 is the dynamic batch dimension {@code N}, -2 and -3 two more. */
  void input(String name, OnnxMl.TensorProto.DataType type, long... shape) {
    graph.addInput(value(name, type, shape));
  }

  /** Declares a graph output by renaming {@code from} through an Identity node. */
  void output(String name, String from, OnnxMl.TensorProto.DataType type, long... shape) {
    graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("output_" + name).addInput(from)
        .addOutput(name));
    graph.addOutput(value(name, type, shape));
  }

  private static OnnxMl.ValueInfoProto value(String name, OnnxMl.TensorProto.DataType type, long... shape) {
    OnnxMl.TensorShapeProto.Builder s = OnnxMl.TensorShapeProto.newBuilder();
    for (long d : shape) {
      s.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(DYNAMIC.get((int) -d - 1))
          : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(
        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(s))).build();
  }

  /** The serialised model. */
  byte[] model(String docString) {
    return OnnxMl.ModelProto.newBuilder().setIrVersion(7).setProducerName("seqwatch")
        .setProducerVersion(String.valueOf(OnnxGraph.class.getPackage().getImplementationVersion()))
        .setDocString(docString).addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(OPSET))
        .setGraph(graph).build().toByteArray();
  }
}
