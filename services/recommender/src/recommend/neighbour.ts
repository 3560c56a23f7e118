/** A film of the index (its row) and its blended score, as the ONNX index and the exact scan return them. */
export interface Neighbour {
  index: number;
  score: number;
}
