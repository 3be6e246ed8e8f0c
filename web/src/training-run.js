// The training of one net on the page, from its first Train or Step until
// the trainer replaces the net (a new stack, dataset or file): its epochs,
// one fit (the package's Run) each, so the epoch report comes from one
// predict on the validation set while the weights stand still; its state and
// counters; the settings it trains with. It reports through emit; once ended
// it says nothing more, so what its last fit still reports never reaches the page.
//
// The commands (start, pause, step) come one after another from the trainer's
// queue. The work between two epochs (report, pending compile, the next fit)
// follows each fit as it ends; a command that needs the fit waits for that
// work first, and a fit starts paused when the run is paused.
import { predictedClasses, validationReport } from './validation-report.js';
import { asProbabilities } from './logits.js';
import { TrainingHealth } from './training-health.js';

const PROGRESS_EVERY_MS = 120;
const METRICS_EVERY_MS = 400;
const MIN_TIMED_BATCHES = 5; // time left waits for this much measured training
const MIN_TIMED_SECONDS = 0.3;

// The compile configs differ only in the learning rate: setLearningRate reaches a running fit at once.
const sameButLearningRate = (a, b) =>
  JSON.stringify({ ...a, optimizer: { ...a.optimizer, learningRate: 0 } }) ===
  JSON.stringify({ ...b, optimizer: { ...b.optimizer, learningRate: 0 } });

export class TrainingRun {
  /**
   * net: { model, compile, steps, ... } in the worker (net.steps counts the
   * batches it has trained, here and before); data: the dataset's uploads
   * (dataset-uploads.js).
   */
  constructor({ net, data, trainCount, hyper, augment = null, emit, task = 'classify' }) {
    Object.assign(this, { net, data, trainCount, hyper, task });
    this.augment = augment; // fit's augment option for the next fit, or null
    this.emit = emit;
    this.state = 'idle'; // idle · running · paused · done
    this.reason = undefined; // 'diverged', told once with the next status
    this.epoch = 0; // epochs finished
    this.epochsTarget = 0;
    this.cursor = 0; // examples of the current epoch done
    this.seed = 1;
    this.fit = null; // the package's Run of the epoch in progress
    this.boundary = null; // what follows that fit: the epoch's report and the next fit
    this.pendingCompile = null;
    this.ended = false;
    this.lossSum = 0;
    this.lossCount = 0;
    this.lastPost = 0;
    this.lastEval = 0;
    this.evaluating = false;
    this.timings = null;
    this.stretchStart = 0; // the epoch the last Train (or Step from idle) started from
    // the net's health lives with the net: its starting loss outlasts a run
    net.health ??= new TrainingHealth();
    this.healthSaid = undefined; // the health last reported: a failure's kind, or 'ok'
    // measured training speed: the time between batches while the run trains on its own
    this.batchClock = { last: 0, seconds: 0, examples: 0, intervals: 0 };
    this.valAcc = null; // the last epoch's, on the whole validation set
  }

  say(type, msg) {
    if (!this.ended) this.emit(type, msg);
  }
  fail(during, e) {
    if (e?.kind === 'worker') return; // the engine died: the trainer restarts it and says so
    this.healthSaid = undefined; // the next healthy stretch says so, and the page clears the error
    this.say('error', { message: e?.message ?? String(e), during });
  }

  // ---- commands
  async start() {
    await this.betweenEpochs();
    if (this.state === 'running') return;
    this.beginStretch();
    this.state = 'running';
    this.postStatus();
    if (this.fit) await this.fit.resume();
    else await this.launch();
  }

  async pause() {
    if (this.state !== 'running') return;
    this.state = 'paused'; // a fit that starts from now on starts paused
    // once the worker answers, no batch runs until resume or step, and every finished batch has been reported
    await this.fit?.pause();
    this.postProgress(true);
    this.postStatus();
  }

  async step() {
    await this.betweenEpochs();
    if (this.state === 'running') return;
    this.beginStretch();
    this.state = 'paused';
    // A fit whose last batch had run may end before it hears the step: the next fit takes it.
    for (let tries = 0; tries < 2 && this.state === 'paused' && !this.ended; tries++) {
      if (!this.fit) await this.launch(); // it starts paused
      const fit = this.fit;
      if (!fit || (await fit.step())) break;
      await fit.catch(() => {}); // until it has ended here too
      await this.betweenEpochs();
    }
    await this.refreshMetrics();
    this.postProgress(true);
    this.postStatus();
  }

  // The learning rate and the batch size reach a running fit at its next
  // batch; other optimizer changes wait for the next epoch (see applyPendingCompile).
  setHyper(hyper, compile) {
    const epochsChanged = Number(hyper.epochs) !== Number(this.hyper.epochs);
    this.hyper = hyper;
    // the Epochs field counts from the start of a Train: a running or paused run
    // follows it (finishing the epoch under way); before and between runs the
    // target is what the next Train will do
    if (epochsChanged && (this.state === 'running' || this.state === 'paused'))
      this.epochsTarget = Math.max(this.stretchStart + Number(hyper.epochs), this.epoch + 1);
    else if (epochsChanged) this.epochsTarget = this.epoch + Number(hyper.epochs);
    const net = this.net;
    if (sameButLearningRate(compile, net.compile)) {
      this.pendingCompile = null;
      if (compile.optimizer.learningRate !== net.compile.optimizer.learningRate)
        net.model.setLearningRate(compile.optimizer.learningRate).catch((e) => this.fail('hyper', e));
      net.compile = compile;
    } else {
      this.pendingCompile = compile;
    }
    this.fit?.setBatchSize(Number(hyper.batchSize)).catch((e) => this.fail('hyper', e));
    if (epochsChanged) this.postProgress(true);
  }

  /** Ends the run: stops its fit and waits for it and what follows it, so the net can be replaced. */
  async end() {
    this.ended = true;
    await this.fit?.stop();
    await this.boundary;
  }

  // When the last fit has ended and what follows it has not run yet, waits
  // for that: the command then finds the next fit, or none.
  async betweenEpochs() {
    while (this.fit && !this.fit.isLive) await this.boundary;
  }

  // ---- the epochs
  beginStretch() {
    if (this.state === 'idle' || this.state === 'done') {
      this.stretchStart = this.epoch;
      this.epochsTarget = this.epoch + Number(this.hyper.epochs);
    }
    this.batchClock.last = 0; // the first batch after a start carries the start's own overhead
  }

  async launch() {
    await this.applyPendingCompile();
    if (this.ended) return;
    const epoch = this.epoch;
    this.cursor = 0;
    const fit = this.net.model.fit(this.data.train.x, this.data.train.y, {
      epochs: epoch + 1,
      initialEpoch: epoch,
      batchSize: Number(this.hyper.batchSize),
      shuffle: true,
      seed: this.seed + epoch,
      startPaused: this.state === 'paused',
      // a denoiser's targets are the clean images: moving only its inputs would teach it to move them back
      ...(this.augment && this.task !== 'denoise' ? { augment: this.augment } : {}),
      onBatchEnd: (b, logs) => this.onBatchEnd(logs),
    });
    this.fit = fit;
    // this.fit stays the ended fit until what follows it is done (see betweenEpochs)
    this.boundary = fit
      .then(
        () => this.afterEpoch(),
        (e) => this.afterFailure(e),
      )
      .finally(() => {
        if (this.fit === fit) this.fit = null;
      });
  }

  async afterEpoch() {
    if (this.ended) return;
    try {
      this.epoch++;
      this.cursor = 0;
      await this.reportEpoch();
      if (this.ended) return;
      await this.checkpoint();
      if (this.ended) return;
      if (this.epoch < this.epochsTarget) {
        await this.launch();
        return;
      }
      this.state = 'done';
      this.timings = await this.net.model.timings();
      this.postProgress(true);
      this.postStatus();
    } catch (e) {
      await this.afterFailure(e);
    }
  }

  async afterFailure(e) {
    if (this.ended) return;
    this.state = 'paused';
    if (e?.kind === 'worker') return; // the engine died: the trainer restarts it and says so
    if (e?.kind === 'training') {
      await this.diverged(e);
      return;
    }
    this.fail('start', e);
    this.postStatus();
  }

  // Optimizer changes other than the learning rate are compiled here, before
  // an epoch's fit: a compile resets the optimizer's state, and no fit runs now.
  async applyPendingCompile() {
    if (!this.pendingCompile) return;
    const c = this.pendingCompile;
    this.pendingCompile = null;
    await this.net.model.compile(c);
    this.net.compile = c;
  }

  async diverged(e) {
    // the timings of the steps that did run (the regular refresh may not have come yet)
    this.timings = await this.net.model.timings().catch(() => this.timings);
    this.reason = 'diverged';
    this.cursor = 0; // the next Train starts this epoch again, from the restored weights
    // the error's own fields (fit adds epoch and batch), never its text
    this.net.health.diverged({ epoch: e.epoch, batch: e.batch, value: e.value });
    this.reportHealth();
    this.postProgress(true);
    this.postStatus();
  }

  // Tells the page when the net starts failing (each failure once) and when it is healthy again.
  reportHealth() {
    const health = this.net.health;
    const f = health.failing;
    const now = f ? f.kind : health.healthy ? 'ok' : this.healthSaid;
    if (now === this.healthSaid) return;
    this.healthSaid = now;
    this.say('health', { failing: f ? { ...f, learningRate: this.hyper.learningRate } : null });
  }

  onBatchEnd(logs) {
    this.net.steps++;
    this.cursor += logs.size;
    this.timeBatch(logs.size);
    this.lossSum += logs.loss;
    this.lossCount++;
    this.net.health.batch(logs.loss);
    this.reportHealth();
    this.postProgress();
    if (this.state === 'running' && !this.evaluating && performance.now() - this.lastEval > METRICS_EVERY_MS)
      this.refreshMetrics();
  }

  // The speed is measured between the ends of consecutive batches while the run
  // trains on its own (a Step's batch carries the start of a fit, and a paused
  // run's gaps are the learner's): time left is only said once it is measured.
  timeBatch(size) {
    const clock = this.batchClock;
    const now = performance.now();
    if (this.state !== 'running') {
      clock.last = 0;
      return;
    }
    if (clock.last > 0) {
      clock.seconds += (now - clock.last) / 1000;
      clock.examples += size;
      clock.intervals++;
    }
    clock.last = now;
  }

  /** Examples per second of real training, or null until enough of it was measured. */
  measuredSpeed() {
    const { seconds, examples, intervals } = this.batchClock;
    return intervals >= MIN_TIMED_BATCHES && seconds >= MIN_TIMED_SECONDS ? examples / seconds : null;
  }

  // ---- reports
  postStatus() {
    this.say('status', { state: this.state, step: this.net.steps, epoch: this.epoch, reason: this.reason });
    this.reason = undefined;
  }

  postProgress(force = false) {
    const now = performance.now();
    if (!force && now - this.lastPost < PROGRESS_EVERY_MS) return;
    this.lastPost = now;
    const n = this.trainCount;
    const perSec = this.measuredSpeed();
    const target = this.epochsTarget || this.epoch + Number(this.hyper.epochs);
    const left = Math.max(0, (target - this.epoch) * n - this.cursor);
    this.say('progress', {
      step: this.net.steps,
      epoch: this.epoch,
      epochsTarget: target,
      cursor: this.cursor,
      trainCount: n,
      fraction: Math.min(1, (this.epoch * n + this.cursor) / Math.max(1, target * n)),
      loss: this.lossCount ? this.lossSum / this.lossCount : null,
      examplesPerSec: perSec,
      secondsLeft: perSec > 0 ? left / perSec : null, // null: no honest estimate yet
      timings: this.timings,
      optimizer: this.net.compile.optimizer,
      batchSize: Number(this.hyper.batchSize),
    });
    this.lossSum = 0;
    this.lossCount = 0;
  }

  // Accuracy on the two fixed samples, for the live chart between epochs, and the layer timings.
  async refreshMetrics() {
    this.evaluating = true;
    this.lastEval = performance.now();
    const { model } = this.net;
    const at = {
      step: this.net.steps,
      epoch: this.epoch,
      epochFloat: this.epoch + this.cursor / this.trainCount,
    };
    try {
      // a denoiser has no classes to be right about: its figure is the loss
      const scored = this.task !== 'denoise';
      const { valSample, trainSample } = this.data;
      // a classifier's validation sample is predicted: its loss, accuracy and the health check's classes
      const [v, t, timings] = await Promise.all([
        scored ? model.predict(valSample.x) : model.evaluate(valSample.x, valSample.y),
        model.evaluate(trainSample.x, trainSample.y),
        model.timings(),
      ]);
      this.timings = timings;
      if (this.epoch !== at.epoch || this.ended) return; // the epoch's full report is newer
      const labels = this.data.valSampleLabels;
      let val = { valLoss: v.loss, valAcc: null };
      if (scored) {
        const k = v.shape.at(-1);
        const probs = asProbabilities(this.net, v.data, k);
        const r = validationReport(probs, labels, k, 0, 0);
        this.checkPredictions(probs, labels, k);
        val = { valLoss: r.valLoss, valAcc: r.valAcc };
      }
      this.say('metrics', {
        step: at.step,
        epochFloat: at.epochFloat,
        trainLoss: t.loss,
        trainAcc: scored ? t.accuracy : null,
        ...val,
        checked: labels.length, // the figure's basis: a sample of the validation set …
        valCount: this.data.valLabels.length,
        full: labels.length === this.data.valLabels.length, // … unless the sample is all of it
      });
    } catch (e) {
      this.fail('metrics', e);
    } finally {
      this.evaluating = false;
    }
  }

  checkPredictions(probs, labels, k) {
    const whole = labels.length === this.data.valLabels.length;
    this.net.health.predictions(predictedClasses(probs, labels.length, k), labels, k, { whole });
    this.reportHealth();
  }

  // The epoch's weights and optimizer state, kept in the page: a snapshot to
  // restore, and where a restarted engine resumes (engine-restart.js).
  async checkpoint() {
    const bytes = await this.net.model.save();
    const n = this.data.valLabels?.length;
    this.say('snapshot', {
      bytes,
      steps: this.net.steps,
      epoch: this.epoch,
      valAcc: this.valAcc,
      valAccBasis: this.valAcc != null ? { checked: n, valCount: n, full: true } : null,
      hyper: { ...this.hyper },
      spec: this.net.spec,
    });
  }

  async reportEpoch() {
    if (this.task === 'denoise') {
      const { loss } = await this.net.model.evaluate(this.data.val.x, this.data.val.y);
      this.say('epoch', { epoch: this.epoch, step: this.net.steps, valLoss: loss, valAcc: null });
      this.say('metrics', {
        step: this.net.steps,
        epochFloat: this.epoch,
        valLoss: loss,
        valAcc: null,
        checked: this.data.valLabels.length,
        valCount: this.data.valLabels.length,
        full: true,
      });
      return;
    }
    const out = await this.net.model.predict(this.data.val.x);
    const k = out.shape.at(-1);
    const labels = this.data.valLabels;
    const probs = asProbabilities(this.net, out.data, k);
    const report = validationReport(probs, labels, k, this.trainCount);
    this.checkPredictions(probs, labels, k);
    this.valAcc = report.valAcc;
    this.say('epoch', { epoch: this.epoch, step: this.net.steps, ...report });
    this.say('metrics', {
      step: this.net.steps,
      epochFloat: this.epoch,
      valLoss: report.valLoss,
      valAcc: report.valAcc,
      checked: labels.length,
      valCount: labels.length,
      full: true,
    });
  }
}
