import { afterEach, describe, expect, it, vi } from 'vitest';
import { h, nextTick } from 'vue';
import ModalDialog from '../../../../renderer/src/components/dialogs/ModalDialog.vue';
import { focusedOpener, mountDialog } from './factories';

/** A dialog with a text field and a text area, as the decision dialogs use it. */
function withFields(props: Record<string, unknown> = {}) {
  return mountDialog(ModalDialog, {
    props: { title: 'Refuse the request', description: 'Say why.', primaryLabel: 'Refuse', ...props },
    slots: {
      default: () => [h('label', { for: 'f1' }, 'Carrier'), h('input', { id: 'f1', type: 'text' }), h('textarea', { id: 'f2', 'aria-label': 'Note' })],
    },
  });
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('ModalDialog', () => {
  it('opens as a modal dialog labelled by its title and described by its description', async () => {
    const wrapper = withFields();
    await nextTick();
    const dialog = wrapper.get('dialog').element as HTMLDialogElement;
    expect(dialog.open).toBe(true);
    const title = document.getElementById(dialog.getAttribute('aria-labelledby') ?? '');
    const description = document.getElementById(dialog.getAttribute('aria-describedby') ?? '');
    expect(title?.textContent).toBe('Refuse the request');
    expect(description?.textContent).toBe('Say why.');
  });

  it('moves focus to the first field on open and back to the opener on close', async () => {
    const opener = focusedOpener();
    const wrapper = withFields();
    await nextTick();
    await nextTick();
    expect(document.activeElement?.id).toBe('f1');
    await wrapper.setProps({ open: false });
    expect((wrapper.get('dialog').element as HTMLDialogElement).open).toBe(false);
    expect(document.activeElement).toBe(opener);
  });

  it('returns focus to the opener when it is unmounted', async () => {
    const opener = focusedOpener();
    const wrapper = withFields();
    await nextTick();
    await nextTick();
    expect(document.activeElement).not.toBe(opener);
    wrapper.unmount();
    expect(document.activeElement).toBe(opener);
  });

  it('focuses the given element instead of the first field', async () => {
    const target = document.createElement('button');
    document.body.appendChild(target);
    withFields({ initialFocus: target });
    await nextTick();
    await nextTick();
    expect(document.activeElement).toBe(target);
  });

  it('focuses the primary button when there is no field', async () => {
    mountDialog(ModalDialog, { props: { title: 'Plan', primaryLabel: 'Confirm' } });
    await nextTick();
    await nextTick();
    expect(document.activeElement?.textContent?.trim()).toBe('Confirm');
  });

  it('emits cancel once on Esc, and from the Cancel button; not while busy', async () => {
    const wrapper = withFields();
    await wrapper.get('#f1').trigger('keydown', { key: 'Escape' });
    await wrapper.get('#f1').trigger('keydown', { key: 'Escape' });
    expect(wrapper.emitted('cancel')).toHaveLength(1);

    const busy = withFields({ busy: true });
    await busy.get('#f1').trigger('keydown', { key: 'Escape' });
    expect(busy.emitted('cancel')).toBeUndefined();
    expect(busy.findAll('button').every((button) => (button.element as HTMLButtonElement).disabled)).toBe(true);

    const clicked = withFields();
    await clicked.findAll('button').find((button) => button.text() === 'Cancel')?.trigger('click');
    expect(clicked.emitted('cancel')).toHaveLength(1);
  });

  it('treats the browser cancel event (Esc) as a cancel and keeps the dialog open for the parent to close', () => {
    const wrapper = withFields();
    const event = new Event('cancel', { cancelable: true });
    wrapper.get('dialog').element.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(wrapper.emitted('cancel')).toHaveLength(1);
  });

  it('submits on Enter in a single-line field and Ctrl/Cmd+Enter anywhere, not on Enter in a text area', async () => {
    const wrapper = withFields();
    await wrapper.get('#f2').trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('submit')).toBeUndefined();
    await wrapper.get('#f1').trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('submit')).toHaveLength(1);
    await wrapper.get('#f2').trigger('keydown', { key: 'Enter', ctrlKey: true });
    await wrapper.get('#f2').trigger('keydown', { key: 'Enter', metaKey: true });
    expect(wrapper.emitted('submit')).toHaveLength(3);
  });

  it('does not submit while the primary button is disabled, and says why', async () => {
    const wrapper = withFields({ primaryDisabled: true, disabledReason: 'Nothing to do.' });
    await wrapper.get('#f1').trigger('keydown', { key: 'Enter' });
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toBeUndefined();
    const primary = wrapper.findAll('button').find((button) => button.text() === 'Refuse');
    expect(primary?.attributes('disabled')).toBeDefined();
    expect(document.getElementById(primary?.attributes('aria-describedby') ?? '')?.textContent).toBe('Nothing to do.');
  });

  it('submits from the primary button', async () => {
    const wrapper = withFields();
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toHaveLength(1);
  });

  it('adds no keydown listener outside the dialog', async () => {
    const onWindow = vi.spyOn(window, 'addEventListener');
    const onDocument = vi.spyOn(document, 'addEventListener');
    const wrapper = withFields();
    await nextTick();
    const keyListeners = [...onWindow.mock.calls, ...onDocument.mock.calls].filter(([type]) => String(type).startsWith('key'));
    expect(keyListeners).toEqual([]);
    wrapper.unmount();
    onWindow.mockRestore();
    onDocument.mockRestore();
  });
});
