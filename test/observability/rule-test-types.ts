/** The shapes of promtool's rule test files (`promtool test rules`). */

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface AlertTestCase {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: { readonly exp_labels: Record<string, string>; readonly exp_annotations: Record<string, string> }[];
}

export interface ExprTestCase {
  readonly expr: string;
  readonly eval_time: string;
  readonly exp_samples: { readonly labels: string; readonly value: number }[];
}

export interface TestGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: InputSeries[];
  readonly alert_rule_test?: AlertTestCase[];
  readonly promql_expr_test?: ExprTestCase[];
}

export interface RuleTestFile {
  readonly rule_files: string[];
  readonly evaluation_interval: string;
  readonly tests: TestGroup[];
}
