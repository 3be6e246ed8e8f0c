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
import { validationReport } from './validation-report.js';
import { asProbabilities } from './logits.js';

const PROGRESS_EVERY_MS = 120;
const METRICS_EVERY_MS = 400;

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
    this.t0 = 0;
    this.examplesDone = 0;
    this.lastPost = 0;
    this.lastEval = 0;
    this.evaluating = false;
    this.timings = null;
  }

  say(type, msg) {
    if (!this.ended) this.emit(type, msg);
  }
  fail(during, e) {
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
    this.hyper = hyper;
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
    if (this.state === 'idle' || this.state === 'done')
      this.epochsTarget = this.epoch + Number(this.hyper.epochs);
    this.t0 = performance.now();
    this.examplesDone = 0;
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
    const what = Number.isNaN(e.value) ? 'NaN' : 'infinite';
    this.reason = 'diverged';
    this.cursor = 0; // the next Train starts this epoch again, from the restored weights
    const place = Number.isInteger(e.epoch) ? ` in epoch ${e.epoch + 1}, batch ${e.batch + 1}` : '';
    this.say('diverged', {
      message:
        `Training diverged${place}: the loss became ${what}. The weights were restored to the last good ones. ` +
        `Try a lower learning rate (now ${this.hyper.learningRate}).`,
    });
    this.postProgress(true);
    this.postStatus();
  }

  onBatchEnd(logs) {
    this.net.steps++;
    this.cursor += logs.size;
    this.examplesDone += logs.size;
    this.lossSum += logs.loss;
    this.lossCount++;
    this.postProgress();
    if (this.state === 'running' && !this.evaluating && performance.now() - this.lastEval > METRICS_EVERY_MS)
      this.refreshMetrics();
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
    const perSec = this.examplesDone / Math.max(1e-3, (now - this.t0) / 1000);
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
      secondsLeft: perSec > 0 ? left / perSec : null,
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
      const [v, t, timings] = await Promise.all([
        model.evaluate(this.data.valSample.x, this.data.valSample.y),
        model.evaluate(this.data.trainSample.x, this.data.trainSample.y),
        model.timings(),
      ]);
      this.timings = timings;
      if (this.epoch !== at.epoch) return; // the epoch's full report is newer
      // a denoiser has no classes to be right about: its figure is the loss
      const scored = this.task !== 'denoise';
      this.say('metrics', {
        step: at.step,
        epochFloat: at.epochFloat,
        trainLoss: t.loss,
        trainAcc: scored ? t.accuracy : null,
        valLoss: v.loss,
        valAcc: scored ? v.accuracy : null,
      });
    } catch (e) {
      this.fail('metrics', e);
    } finally {
      this.evaluating = false;
    }
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
        full: true,
      });
      return;
    }
    const out = await this.net.model.predict(this.data.val.x);
    const k = out.shape.at(-1);
    const report = validationReport(
      asProbabilities(this.net, out.data, k),
      this.data.valLabels,
      k,
      this.trainCount,
    );
    this.say('epoch', { epoch: this.epoch, step: this.net.steps, ...report });
    this.say('metrics', {
      step: this.net.steps,
      epochFloat: this.epoch,
      valLoss: report.valLoss,
      valAcc: report.valAcc,
      full: true,
    });
  }
}
