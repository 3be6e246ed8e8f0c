// The last layer has one unit per class: a stack ending in a Dense layer of
// another width is set to the dataset's classes when the dataset changes, and
// a stack that fails to build for it offers the fix as a button.
const $ = (id) => document.getElementById(id);

/** getClasses: the number of classes the page's data has, or nothing. */
export function createClassFix({ store, getClasses }) {
  const lastDense = () => {
    const last = store.get().layers.at(-1);
    return last?.type === 'dense' ? last : null;
  };
  function fit(classes) {
    if (store.get().task === 'denoise') return false; // a denoiser ends in an image, not in classes
    const last = lastDense();
    if (!last || Number(last.units) === classes) return false;
    store.update((s) => {
      s.layers[s.layers.length - 1].units = classes;
      return s;
    }, 'classes');
    return true;
  }
  function offer() {
    const classes = getClasses();
    const last = lastDense();
    const show = store.get().task !== 'denoise' && !!classes && !!last && Number(last.units) !== classes;
    $('fix-classes-box').hidden = !show;
    if (show) $('fix-classes').textContent = `Set the last layer to ${classes} units, one per class`;
  }
  $('fix-classes').addEventListener('click', () => {
    const classes = getClasses();
    if (classes) fit(classes);
    $('fix-classes-box').hidden = true;
  });
  return { fit, offer };
}
