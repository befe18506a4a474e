package io.sparkps.core.data;

import io.sparkps.core.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns label strings into the floats a model trains on. Regression labels are numbers.
 * Classification accepts 0/1 and -1/+1 (both mapped to 0/1), non-negative class indices, or class
 * names, which are sorted and numbered from 0; the names are kept so predictions map back.
 */
public record LabelEncoder(Task task, List<String> classes, Map<String, Integer> index) {

  /** Learns the classes of {@code labels} for {@code task}. */
  public static LabelEncoder fit(Task task, List<String> labels) {
    if (task == Task.REGRESSION) {
      return new LabelEncoder(task, List.of(), Map.of());
    }
    TreeSet<String> distinct = new TreeSet<>();
    for (String l : labels) {
      distinct.add(l.trim());
    }
    Map<String, Integer> idx = new TreeMap<>();
    List<String> names = new ArrayList<>();
    if (allIntegers(distinct)) {
      TreeSet<Integer> values = new TreeSet<>();
      distinct.forEach(s -> values.add((int) Double.parseDouble(s)));
      boolean signs = values.equals(new TreeSet<>(List.of(-1, 1)));
      int max = values.last();
      if (!signs && values.first() < 0) {
        throw new IllegalArgumentException("class labels must be 0..k-1, -1/+1 or names; found "
            + values);
      }
      int k = signs ? 2 : Math.max(task == Task.BINARY ? 2 : 1, max + 1);
      for (int c = 0; c < k; c++) {
        names.add(signs ? (c == 0 ? "-1" : "+1") : Integer.toString(c));
      }
      for (String s : distinct) {
        int v = (int) Double.parseDouble(s);
        idx.put(s, signs ? (v < 0 ? 0 : 1) : v);
      }
    } else {
      for (String s : distinct) {
        idx.put(s, names.size());
        names.add(s);
      }
    }
    if (task == Task.BINARY && names.size() != 2) {
      throw new IllegalArgumentException("binary classification needs 2 classes, found "
          + names.size() + ": " + names + "; use a multiclass model (softmax) instead");
    }
    return new LabelEncoder(task, names, idx);
  }

  /** The encoder of a trained model, from its task and its class names in index order. */
  public static LabelEncoder forClasses(Task task, List<String> classes) {
    Map<String, Integer> idx = new TreeMap<>();
    for (int i = 0; i < classes.size(); i++) {
      idx.put(classes.get(i), i);
    }
    if (classes.equals(List.of("-1", "+1"))) {
      idx.put("1", 1);
    }
    return new LabelEncoder(task, classes, idx);
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean allIntegers(TreeSet<String> values) {
    for (String s : values) {
      try {
        double d = Double.parseDouble(s);
        if (d != Math.rint(d)) {
          return false;
        }
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return true;
  }

  /** The float a model trains on for {@code label}; fails for an unknown class or non-number. */
  public float encode(String label) {
    String s = label.trim();
    if (task == Task.REGRESSION) {
      float v = Float.parseFloat(s);
      if (!Float.isFinite(v)) {
        throw new NumberFormatException("label " + s + " is not a finite number");
      }
      return v;
    }
    Integer i = index.get(s);
    if (i == null && !classes.isEmpty() && index.keySet().stream().allMatch(LabelEncoder::isNumber)
        && isNumber(s)) {
      i = index.get(classes.get(0).equals("-1") ? (Double.parseDouble(s) < 0 ? "-1" : "1")
          : Integer.toString((int) Double.parseDouble(s)));
    }
    if (i == null) {
      throw new NumberFormatException("label '" + s + "' is not one of the classes " + classes);
    }
    return i;
  }
}
