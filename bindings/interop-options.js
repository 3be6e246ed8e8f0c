// Reading one layer's config from a foreign model file (tfjs-layers or a
// Keras conversion), which is untrusted input. Every key is either read,
// checked to hold the one value Convolab can represent, or known not to
// change what the layer computes; any other key with a value is refused, so
// nothing in the file is silently dropped.
import { InteropError } from './errors.js';

// Keys that never change what a layer computes once its weights are loaded.
const HARMLESS = new Set([
  'name',
  'trainable',
  'batch_input_shape',
  'batch_shape',
  'input_shape',
  'batch_size',
  'kernel_initializer',
  'bias_initializer',
  'gamma_initializer',
  'beta_initializer',
  'moving_mean_initializer',
  'moving_variance_initializer',
  'seed',
  'build_config',
  'module',
  'registered_name',
]);

const sameValue = (a, b) => JSON.stringify(a) === JSON.stringify(b);

export class LayerConfigReader {
  /** where: { layerIndex, layerName, className } for errors. */
  constructor(config, where) {
    if (!config || typeof config !== 'object' || Array.isArray(config))
      throw new InteropError(`layer ${where.layerIndex} (${where.className}): 'config' must be an object`, {
        code: 'bad-file',
        ...where,
      });
    this.config = config;
    this.where = where;
    this.used = new Set();
  }

  fail(option, why, extra = {}) {
    const { layerIndex, layerName, className } = this.where;
    return new InteropError(`layer ${layerIndex} '${layerName}' (${className}): option '${option}' ${why}`, {
      code: 'unsupported-option',
      ...this.where,
      option,
      ...extra,
    });
  }

  has(key) {
    return this.config[key] !== undefined && this.config[key] !== null;
  }

  /** The value, or fallback when missing or null. */
  get(key, fallback) {
    this.used.add(key);
    return this.has(key) ? this.config[key] : fallback;
  }

  number(key, fallback, { min = -Infinity, max = Infinity } = {}) {
    const v = this.get(key, fallback);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      throw this.fail(key, `must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`, { actual: v });
    return v;
  }

  bool(key, fallback) {
    const v = this.get(key, fallback);
    if (typeof v !== 'boolean')
      throw this.fail(key, `must be true or false, got ${JSON.stringify(v)}`, { actual: v });
    return v;
  }

  /** A whole number or a pair of them ([h, w], or [n] for both), as [h, w]. */
  pair(key, fallback, { min = 1, max = 4096 } = {}) {
    let v = this.get(key, fallback);
    if (typeof v === 'number') v = [v, v];
    if (Array.isArray(v) && v.length === 1) v = [v[0], v[0]];
    if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= min && x <= max))
      throw this.fail(
        key,
        `must be a whole number or a pair [h, w] from ${min} to ${max}, got ${JSON.stringify(v)}`,
        {
          actual: v,
        },
      );
    return v;
  }

  /** The value must be one of allowed (compared as JSON); fallback when missing. */
  oneOf(key, allowed, fallback) {
    const v = this.get(key, fallback);
    if (!allowed.some((a) => sameValue(a, v)))
      throw this.fail(
        key,
        `is ${JSON.stringify(v)}; Convolab supports only ${allowed.map((a) => JSON.stringify(a)).join(' or ')}`,
        {
          expected: allowed,
          actual: v,
        },
      );
    return v;
  }

  /** Keys that must be missing or null (regularizers, constraints...). */
  absent(...keys) {
    for (const key of keys) {
      this.used.add(key);
      if (this.has(key))
        throw this.fail(key, `is set (${JSON.stringify(this.config[key])}); Convolab cannot represent it`, {
          actual: this.config[key],
        });
    }
  }

  /** data_format must be channels_last (Convolab is NHWC throughout). */
  channelsLast() {
    return this.oneOf('data_format', ['channels_last'], 'channels_last');
  }

  /** dtype must be float32 (a string, or a Keras 3 DTypePolicy). */
  float32() {
    const v = this.get('dtype', 'float32');
    const name = typeof v === 'string' ? v : v?.config?.name;
    if (name !== 'float32')
      throw this.fail('dtype', `is ${JSON.stringify(v)}; Convolab computes in float32 only`, { actual: v });
  }

  /** Every key left over must be harmless or empty; otherwise it is refused by name. */
  finish() {
    for (const [key, value] of Object.entries(this.config)) {
      if (this.used.has(key) || HARMLESS.has(key)) continue;
      if (value === null || value === undefined || value === false) continue;
      throw this.fail(key, `(${JSON.stringify(value)}) is not one Convolab knows for this layer`, {
        actual: value,
      });
    }
  }
}
